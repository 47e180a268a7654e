
    
    



select line_id
from "j"."intermediate"."int_budget_lines_reconciled"
where line_id is null



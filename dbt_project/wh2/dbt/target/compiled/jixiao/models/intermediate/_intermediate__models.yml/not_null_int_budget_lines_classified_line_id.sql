
    
    



select line_id
from "j"."intermediate"."int_budget_lines_classified"
where line_id is null



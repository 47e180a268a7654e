
    
    



select line_id
from "j"."marts"."fct_fund_execution"
where line_id is null



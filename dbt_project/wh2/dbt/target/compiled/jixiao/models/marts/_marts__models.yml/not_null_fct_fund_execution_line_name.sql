
    
    



select line_name
from "j"."marts"."fct_fund_execution"
where line_name is null



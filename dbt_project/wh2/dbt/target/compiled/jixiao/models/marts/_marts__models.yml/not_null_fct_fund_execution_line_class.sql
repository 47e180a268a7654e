
    
    



select line_class
from "j"."marts"."fct_fund_execution"
where line_class is null



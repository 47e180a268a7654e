
    
    



select report_id
from "j"."marts"."fct_fund_execution"
where report_id is null




    
    



select report_id
from "j"."marts"."fct_indicator"
where report_id is null




    
    



select report_id
from "j"."marts"."fct_disbursement"
where report_id is null



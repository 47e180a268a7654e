
    
    



select report_id
from "j"."marts"."dim_report"
where report_id is null



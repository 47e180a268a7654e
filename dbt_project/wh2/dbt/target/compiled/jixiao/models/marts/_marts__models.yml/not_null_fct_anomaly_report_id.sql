
    
    



select report_id
from "j"."marts"."fct_anomaly"
where report_id is null




    
    



select status
from "j"."marts"."fct_anomaly"
where status is null




    
    



select subject
from "j"."marts"."fct_anomaly"
where subject is null



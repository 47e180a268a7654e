
    
    



select severity
from "j"."marts"."fct_anomaly"
where severity is null



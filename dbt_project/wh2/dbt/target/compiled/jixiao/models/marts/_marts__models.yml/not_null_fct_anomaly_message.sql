
    
    



select message
from "j"."marts"."fct_anomaly"
where message is null



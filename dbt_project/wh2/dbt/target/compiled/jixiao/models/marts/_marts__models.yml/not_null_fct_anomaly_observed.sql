
    
    



select observed
from "j"."marts"."fct_anomaly"
where observed is null



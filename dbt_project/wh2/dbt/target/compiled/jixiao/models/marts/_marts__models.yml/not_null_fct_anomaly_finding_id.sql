
    
    



select finding_id
from "j"."marts"."fct_anomaly"
where finding_id is null



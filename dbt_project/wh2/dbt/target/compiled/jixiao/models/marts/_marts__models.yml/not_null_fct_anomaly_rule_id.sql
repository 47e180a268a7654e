
    
    



select rule_id
from "j"."marts"."fct_anomaly"
where rule_id is null



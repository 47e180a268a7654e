
    
    



select rule_id
from "j"."reference"."anomaly_rules"
where rule_id is null



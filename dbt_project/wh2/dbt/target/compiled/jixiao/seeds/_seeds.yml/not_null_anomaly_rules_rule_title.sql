
    
    



select rule_title
from "j"."reference"."anomaly_rules"
where rule_title is null



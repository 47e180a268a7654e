
    
    



select indicator_id
from "j"."intermediate"."int_indicators_parsed"
where indicator_id is null



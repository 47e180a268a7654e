
    
    



select indicator_id
from "j"."marts"."fct_indicator"
where indicator_id is null



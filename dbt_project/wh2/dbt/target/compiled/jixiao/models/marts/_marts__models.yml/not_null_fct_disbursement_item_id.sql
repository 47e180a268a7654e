
    
    



select item_id
from "j"."marts"."fct_disbursement"
where item_id is null




    
    



select item_name
from "j"."marts"."fct_disbursement"
where item_name is null




    
    



select finding_id
from "j"."staging"."stg_jixiao__finding_acks"
where finding_id is null



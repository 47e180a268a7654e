
    
    



select report_id
from "j"."staging"."stg_jixiao__disbursements"
where report_id is null



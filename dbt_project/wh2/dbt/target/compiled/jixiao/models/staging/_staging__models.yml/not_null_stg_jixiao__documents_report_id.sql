
    
    



select report_id
from "j"."staging"."stg_jixiao__documents"
where report_id is null



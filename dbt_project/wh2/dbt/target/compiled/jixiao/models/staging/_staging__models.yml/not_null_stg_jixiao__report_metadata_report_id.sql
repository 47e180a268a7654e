
    
    



select report_id
from "j"."staging"."stg_jixiao__report_metadata"
where report_id is null



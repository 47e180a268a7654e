
    
    



select report_id
from "j"."staging"."stg_jixiao__indicators"
where report_id is null



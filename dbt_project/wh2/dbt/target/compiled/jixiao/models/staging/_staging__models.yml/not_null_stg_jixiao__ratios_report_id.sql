
    
    



select report_id
from "j"."staging"."stg_jixiao__ratios"
where report_id is null




    
    



select report_id
from "j"."staging"."stg_jixiao__budget_lines"
where report_id is null



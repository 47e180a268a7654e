
    
    



select line_no
from "j"."staging"."stg_jixiao__budget_lines"
where line_no is null



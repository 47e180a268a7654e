
    
    



select line_no
from "j"."staging"."stg_jixiao__indicators"
where line_no is null



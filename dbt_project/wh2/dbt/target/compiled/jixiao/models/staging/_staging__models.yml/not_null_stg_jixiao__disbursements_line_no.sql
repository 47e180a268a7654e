
    
    



select line_no
from "j"."staging"."stg_jixiao__disbursements"
where line_no is null



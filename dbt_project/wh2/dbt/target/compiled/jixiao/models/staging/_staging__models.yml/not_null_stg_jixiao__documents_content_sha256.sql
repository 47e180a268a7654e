
    
    



select content_sha256
from "j"."staging"."stg_jixiao__documents"
where content_sha256 is null



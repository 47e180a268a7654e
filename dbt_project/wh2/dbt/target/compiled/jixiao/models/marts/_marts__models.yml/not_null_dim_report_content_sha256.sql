
    
    



select content_sha256
from "j"."marts"."dim_report"
where content_sha256 is null




    
    



select report_count
from "j"."marts"."dim_department"
where report_count is null



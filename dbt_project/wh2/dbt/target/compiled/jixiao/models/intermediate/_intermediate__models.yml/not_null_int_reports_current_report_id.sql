
    
    



select report_id
from "j"."intermediate"."int_reports_current"
where report_id is null




    
    



select department
from "j"."intermediate"."int_departments_normalized"
where department is null



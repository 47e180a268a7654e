
    
    



select department_key
from "j"."intermediate"."int_departments_normalized"
where department_key is null




    
    



select department_key
from "j"."marts"."dim_department"
where department_key is null



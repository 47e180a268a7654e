
    
    



select department_name
from "j"."marts"."dim_department"
where department_name is null




    
    



select canonical
from "j"."reference"."department_aliases"
where canonical is null



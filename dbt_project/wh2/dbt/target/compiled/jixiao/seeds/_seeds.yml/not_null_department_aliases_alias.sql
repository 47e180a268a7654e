
    
    



select alias
from "j"."reference"."department_aliases"
where alias is null



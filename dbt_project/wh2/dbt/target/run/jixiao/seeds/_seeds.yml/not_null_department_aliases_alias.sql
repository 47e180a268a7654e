
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select alias
from "j"."reference"."department_aliases"
where alias is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select canonical
from "j"."reference"."department_aliases"
where canonical is null



  
  
      
    ) dbt_internal_test
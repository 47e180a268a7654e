
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select department
from "j"."intermediate"."int_departments_normalized"
where department is null



  
  
      
    ) dbt_internal_test
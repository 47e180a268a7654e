
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select severity
from "j"."marts"."fct_anomaly"
where severity is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select observed
from "j"."marts"."fct_anomaly"
where observed is null



  
  
      
    ) dbt_internal_test
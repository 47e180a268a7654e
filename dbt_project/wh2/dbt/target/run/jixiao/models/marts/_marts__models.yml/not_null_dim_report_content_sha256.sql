
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select content_sha256
from "j"."marts"."dim_report"
where content_sha256 is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select content_sha256
from "j"."staging"."stg_jixiao__documents"
where content_sha256 is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select finding_id
from "j"."staging"."stg_jixiao__finding_acks"
where finding_id is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select item_name
from "j"."marts"."fct_disbursement"
where item_name is null



  
  
      
    ) dbt_internal_test
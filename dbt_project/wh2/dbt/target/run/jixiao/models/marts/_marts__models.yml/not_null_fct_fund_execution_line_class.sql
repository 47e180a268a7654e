
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select line_class
from "j"."marts"."fct_fund_execution"
where line_class is null



  
  
      
    ) dbt_internal_test
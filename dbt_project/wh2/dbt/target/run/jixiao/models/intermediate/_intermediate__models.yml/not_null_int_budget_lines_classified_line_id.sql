
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select line_id
from "j"."intermediate"."int_budget_lines_classified"
where line_id is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select report_id
from "j"."staging"."stg_jixiao__budget_lines"
where report_id is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select report_count
from "j"."marts"."dim_department"
where report_count is null



  
  
      
    ) dbt_internal_test
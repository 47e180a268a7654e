
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select rule_title
from "j"."reference"."anomaly_rules"
where rule_title is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        operator as value_field,
        count(*) as n_records

    from "j"."marts"."fct_indicator"
    group by operator

)

select *
from all_values
where value_field not in (
    '≥','≤','=','>','<','qualitative'
)



  
  
      
    ) dbt_internal_test
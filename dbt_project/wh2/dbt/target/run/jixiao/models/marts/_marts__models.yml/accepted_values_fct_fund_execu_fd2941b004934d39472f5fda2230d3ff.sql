
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        line_class as value_field,
        count(*) as n_records

    from "j"."marts"."fct_fund_execution"
    group by line_class

)

select *
from all_values
where value_field not in (
    'total','basic','personnel','public_use','project','public_project','special_fund','three_public','procurement','other'
)



  
  
      
    ) dbt_internal_test
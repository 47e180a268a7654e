
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        report_kind as value_field,
        count(*) as n_records

    from "j"."staging"."stg_jixiao__report_metadata"
    group by report_kind

)

select *
from all_values
where value_field not in (
    'department_overall','project','special_fund'
)



  
  
      
    ) dbt_internal_test
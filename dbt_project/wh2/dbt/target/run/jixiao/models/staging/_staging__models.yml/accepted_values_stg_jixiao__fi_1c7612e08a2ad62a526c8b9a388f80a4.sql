
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        file_status as value_field,
        count(*) as n_records

    from "j"."staging"."stg_jixiao__files"
    group by file_status

)

select *
from all_values
where value_field not in (
    'loaded','duplicate','quarantined'
)



  
  
      
    ) dbt_internal_test
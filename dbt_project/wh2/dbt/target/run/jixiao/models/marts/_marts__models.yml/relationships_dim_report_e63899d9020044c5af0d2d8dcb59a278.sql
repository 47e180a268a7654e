
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select department_key as from_field
    from "j"."marts"."dim_report"
    where department_key is not null
),

parent as (
    select department_key as to_field
    from "j"."marts"."dim_department"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test
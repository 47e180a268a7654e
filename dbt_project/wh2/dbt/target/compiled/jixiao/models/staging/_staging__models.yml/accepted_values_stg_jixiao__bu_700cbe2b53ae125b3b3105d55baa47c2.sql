
    
    

with all_values as (

    select
        origin as value_field,
        count(*) as n_records

    from "j"."staging"."stg_jixiao__budget_lines"
    group by origin

)

select *
from all_values
where value_field not in (
    'table','narrative'
)



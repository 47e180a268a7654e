
    
    

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




    
    

with child as (
    select report_id as from_field
    from "j"."staging"."stg_jixiao__indicators"
    where report_id is not null
),

parent as (
    select report_id as to_field
    from "j"."staging"."stg_jixiao__documents"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null




    
    

with child as (
    select report_id as from_field
    from "j"."marts"."fct_anomaly"
    where report_id is not null
),

parent as (
    select report_id as to_field
    from "j"."marts"."dim_report"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null




    
    

with child as (
    select parent_line_id as from_field
    from "j"."marts"."fct_fund_execution"
    where parent_line_id is not null
),

parent as (
    select line_id as to_field
    from "j"."marts"."fct_fund_execution"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



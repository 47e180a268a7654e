
    
    

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



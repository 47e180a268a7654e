
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "j"."marts"."fct_anomaly"
    group by status

)

select *
from all_values
where value_field not in (
    'open','acked'
)



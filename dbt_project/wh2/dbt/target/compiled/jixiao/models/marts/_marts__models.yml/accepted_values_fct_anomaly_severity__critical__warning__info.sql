
    
    

with all_values as (

    select
        severity as value_field,
        count(*) as n_records

    from "j"."marts"."fct_anomaly"
    group by severity

)

select *
from all_values
where value_field not in (
    'critical','warning','info'
)



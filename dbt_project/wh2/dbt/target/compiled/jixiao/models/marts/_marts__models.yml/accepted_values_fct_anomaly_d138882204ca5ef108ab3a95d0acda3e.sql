
    
    

with all_values as (

    select
        rule_id as value_field,
        count(*) as n_records

    from "j"."marts"."fct_anomaly"
    group by rule_id

)

select *
from all_values
where value_field not in (
    'low_execution_rate','over_execution','stated_rate_mismatch','balance_mismatch','budget_mismatch','total_mismatch','masked_execution','missing_execution','indicator_missed','score_mismatch','control_rate_over','conflicting_figures'
)



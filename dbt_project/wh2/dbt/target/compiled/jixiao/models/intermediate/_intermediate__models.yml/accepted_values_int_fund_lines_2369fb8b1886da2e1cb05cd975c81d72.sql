
    
    

with all_values as (

    select
        budget_basis as value_field,
        count(*) as n_records

    from "j"."intermediate"."int_fund_lines_derived"
    group by budget_basis

)

select *
from all_values
where value_field not in (
    'full_year_budget','initial_plus_adjustment','initial_budget'
)



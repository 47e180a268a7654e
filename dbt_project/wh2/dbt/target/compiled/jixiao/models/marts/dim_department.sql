-- One row per department across years, keyed by the normalised department name.

with

reports as (

    select * from "j"."intermediate"."int_reports_current"

),

final as (

    select
        -- keys
        department_key,

        -- the department as it last wrote its name
        arg_max(department, coalesce(fiscal_year, 0) * 1e12 + coalesce(epoch(loaded_at), 0)) as department_name,
        arg_max(region, coalesce(fiscal_year, 0) * 1e12 + coalesce(epoch(loaded_at), 0))
            filter (where region is not null) as region,

        -- facts
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year,
        count(*) as report_count
    from reports
    where department_key is not null
    group by department_key

)

select * from final
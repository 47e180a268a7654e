
  
  create view "j"."staging"."stg_jixiao__budget_lines__dbt_tmp" as (
    with

source as (

    select * from "j"."raw"."budget_lines"

),

renamed as (

    select
        -- keys
        cast(report_id as varchar) as report_id,
        cast(line_no as integer) as line_no,
        cast(parent_line_no as integer) as parent_line_no,

        -- what the line is
        cast(name as varchar) as line_name,
        cast(form as varchar) as form,
        cast(group_id as varchar) as group_id,
        cast(is_total as boolean) as is_total,
        cast(origin as varchar) as origin,
        cast(rate_label as varchar) as rate_label,

        -- facts, 万元 and percent as stated
        cast(initial_budget as double) as initial_budget_wan_yuan,
        cast(adjustment as double) as adjustment_wan_yuan,
        cast(full_year_budget as double) as full_year_budget_wan_yuan,
        cast(actual as double) as actual_wan_yuan,
        cast(balance as double) as balance_wan_yuan,
        cast(execution_rate as double) as stated_execution_rate_pct,
        cast(weight as double) as weight,
        cast(score as double) as score,

        -- metadata
        cast(source_start as integer) as source_start,
        cast(source_end as integer) as source_end,
        cast(source_text as varchar) as source_text

    from source

)

select * from renamed
  );

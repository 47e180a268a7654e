
  
  create view "j"."staging"."stg_jixiao__disbursements__dbt_tmp" as (
    with

source as (

    select * from "j"."raw"."disbursements"

),

renamed as (

    select
        -- keys
        cast(report_id as varchar) as report_id,
        cast(line_no as integer) as line_no,
        cast(parent_line_no as integer) as parent_line_no,

        -- what the item is
        cast(name as varchar) as item_name,
        cast(form as varchar) as form,
        cast(group_id as varchar) as group_id,
        cast(is_total as boolean) as is_total,
        cast(origin as varchar) as origin,

        -- facts, 万元 as stated
        cast(budget as double) as budget_wan_yuan,
        cast(actual as double) as amount_wan_yuan,
        cast(purpose as varchar) as purpose,

        -- metadata
        cast(source_start as integer) as source_start,
        cast(source_end as integer) as source_end,
        cast(source_text as varchar) as source_text

    from source

)

select * from renamed
  );

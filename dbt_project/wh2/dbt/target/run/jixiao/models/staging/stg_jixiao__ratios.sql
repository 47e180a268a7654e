
  
  create view "j"."staging"."stg_jixiao__ratios__dbt_tmp" as (
    with

source as (

    select * from "j"."raw"."ratios"

),

renamed as (

    select
        -- keys
        cast(report_id as varchar) as report_id,
        cast(line_no as integer) as line_no,

        -- facts
        cast(name as varchar) as ratio_name,
        cast(value as double) as value_pct,

        -- metadata
        cast(source_start as integer) as source_start,
        cast(source_end as integer) as source_end,
        cast(source_text as varchar) as source_text

    from source

)

select * from renamed
  );

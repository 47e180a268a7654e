
  
  create view "j"."staging"."stg_jixiao__report_metadata__dbt_tmp" as (
    with

source as (

    select * from "j"."raw"."report_metadata"

),

renamed as (

    select
        -- keys
        cast(report_id as varchar) as report_id,

        -- who and when
        cast(fiscal_year as integer) as fiscal_year,
        cast(department as varchar) as department,
        cast(region as varchar) as region,
        cast(report_kind as varchar) as report_kind,

        -- facts
        cast(self_score as double) as self_score,
        cast(grade as varchar) as grade,

        -- metadata
        cast(title as varchar) as title,
        cast(published_on as date) as published_on

    from source

)

select * from renamed
  );

with

source as (

    select * from "j"."raw"."indicators"

),

renamed as (

    select
        -- keys
        cast(report_id as varchar) as report_id,
        cast(line_no as integer) as line_no,

        -- what the indicator is
        cast(form as varchar) as form,
        cast(level1 as varchar) as level1,
        cast(level2 as varchar) as level2,
        cast(level3 as varchar) as level3,

        -- facts, as written
        cast(target as varchar) as target_text,
        cast(actual as varchar) as actual_text,
        cast(weight as double) as weight,
        cast(score as double) as score,
        cast(note as varchar) as note,

        -- metadata
        cast(source_start as integer) as source_start,
        cast(source_end as integer) as source_end,
        cast(source_text as varchar) as source_text

    from source

)

select * from renamed
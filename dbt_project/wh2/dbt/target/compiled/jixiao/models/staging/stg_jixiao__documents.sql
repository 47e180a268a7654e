with

source as (

    select * from "j"."raw"."documents"

),

renamed as (

    select
        -- keys
        cast(report_id as varchar) as report_id,
        cast(content_sha256 as varchar) as content_sha256,
        cast(run_id as varchar) as run_id,

        -- document
        cast(source_file as varchar) as source_file,
        cast(file_sha256 as varchar) as file_sha256,
        cast(source_format as varchar) as source_format,
        cast(encoding as varchar) as source_encoding,
        cast(char_count as integer) as char_count,
        cast(normalized_text as varchar) as normalized_text,

        -- metadata
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from renamed
with

source as (

    select * from "j"."raw"."files"

),

renamed as (

    select
        -- keys
        cast(run_id as varchar) as run_id,
        cast(report_id as varchar) as report_id,

        -- the file
        cast(source_file as varchar) as source_file,
        cast(file_name as varchar) as file_name,
        cast(file_sha256 as varchar) as file_sha256,
        cast(size_bytes as bigint) as size_bytes,

        -- its fate
        cast(status as varchar) as file_status,
        cast(reason as varchar) as status_reason,

        -- metadata
        cast(seen_at as timestamp) as seen_at

    from source

)

select * from renamed
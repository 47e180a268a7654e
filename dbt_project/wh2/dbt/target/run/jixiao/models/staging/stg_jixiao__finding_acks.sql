
  
  create view "j"."staging"."stg_jixiao__finding_acks__dbt_tmp" as (
    with

source as (

    select * from "j"."ops"."finding_acks"

),

renamed as (

    select
        -- keys
        cast(finding_id as varchar) as finding_id,

        -- the acknowledgement
        cast(acked_by as varchar) as acked_by,
        cast(acked_at as timestamp) as acked_at,
        cast(note as varchar) as ack_note

    from source

)

select * from renamed
  );

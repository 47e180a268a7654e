
    

    create  table
      "j"."marts"."dim_report__dbt_tmp"
  
    
    as (
      -- One row per current report (a re-issued report replaces its older version).

with

reports as (

    select * from "j"."intermediate"."int_reports_current"

),

final as (

    select
        -- keys
        report_id,
        content_sha256,
        department_key,

        -- the report
        source_file,
        source_format,
        fiscal_year,
        department,
        region,
        report_kind,
        title,
        published_on,

        -- facts
        self_score,
        grade,
        char_count,
        version_count,

        -- metadata
        run_id,
        loaded_at
    from reports

)

select * from final
    );
    
  
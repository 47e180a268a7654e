-- The reports the marts describe: one per (department, fiscal year, kind) — a re-issued report
-- (same department, year and kind, new content, so a new report_id) replaces the older one.
-- The latest loaded_at wins. Project and special-fund reports also match on title, since one
-- department publishes one such report per project or fund each year.
-- Reports whose department or year is unknown cannot be matched and are all kept.

with

documents as (

    select * from "j"."staging"."stg_jixiao__documents"

),

report_metadata as (

    select * from "j"."staging"."stg_jixiao__report_metadata"

),

departments as (

    select * from "j"."intermediate"."int_departments_normalized"

),

reports as (

    select
        documents.report_id,
        documents.content_sha256,
        documents.run_id,
        departments.department_key,
        documents.source_file,
        documents.source_format,
        documents.char_count,
        report_metadata.fiscal_year,
        report_metadata.department,
        report_metadata.region,
        report_metadata.report_kind,
        report_metadata.self_score,
        report_metadata.grade,
        report_metadata.title,
        report_metadata.published_on,
        documents.loaded_at,
        case
            when departments.department_key is not null and report_metadata.fiscal_year is not null
                then concat_ws(
                    '|',
                    departments.department_key,
                    report_metadata.fiscal_year,
                    coalesce(report_metadata.report_kind, ''),
                    case
                        when report_metadata.report_kind in ('project', 'special_fund')
                            then coalesce(regexp_replace(
        translate(report_metadata.title, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ), '')
                        else ''
                    end
                )
        end as edition_key
    from documents
    left join report_metadata
        on documents.report_id = report_metadata.report_id
    left join departments
        on report_metadata.department = departments.department
        and report_metadata.region is not distinct from departments.region

),

ranked as (

    select
        *,
        row_number() over (
            partition by coalesce(edition_key, report_id)
            order by loaded_at desc nulls last, report_id desc
        ) as edition_rank,
        count(*) over (partition by coalesce(edition_key, report_id)) as version_count
    from reports

),

final as (

    select * exclude (edition_rank)
    from ranked
    where edition_rank = 1

)

select * from final
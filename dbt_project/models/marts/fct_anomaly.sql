-- Findings (异常/核查发现) of the current reports, with their triage status: 'acked' once
-- someone acknowledged the finding in ops.finding_acks (which survives rebuilds), else 'open'.

with

anomalies as (

    select * from {{ ref('int_anomalies') }}

),

anomaly_rules as (

    select * from {{ ref('anomaly_rules') }}

),

reports as (

    select * from {{ ref('int_reports_current') }}

),

finding_acks as (

    select * from {{ ref('stg_jixiao__finding_acks') }}

),

latest_acks as (

    select *
    from finding_acks
    qualify row_number() over (partition by finding_id order by acked_at desc nulls last) = 1

),

final as (

    select
        -- keys
        anomalies.finding_id,
        anomalies.report_id,
        anomalies.subject_id,

        -- the finding
        anomalies.rule_id,
        anomaly_rules.rule_title,
        anomalies.severity,
        anomalies.subject,
        anomalies.observed,
        anomalies.expected,
        anomalies.message,

        -- the report, for filtering without a join
        reports.fiscal_year,
        reports.department,

        -- triage
        case when latest_acks.finding_id is not null then 'acked' else 'open' end as status,
        latest_acks.acked_by,
        latest_acks.acked_at,
        latest_acks.ack_note,

        -- metadata
        anomalies.source_text
    from anomalies
    left join anomaly_rules
        on anomalies.rule_id = anomaly_rules.rule_id
    left join reports
        on anomalies.report_id = reports.report_id
    left join latest_acks
        on anomalies.finding_id = latest_acks.finding_id

)

select * from final

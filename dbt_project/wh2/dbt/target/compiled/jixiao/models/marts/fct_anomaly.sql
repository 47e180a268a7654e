-- Findings (异常/核查发现) of the current reports, with their triage status: 'acked' once
-- someone acknowledged the finding in ops.finding_acks (which survives rebuilds), else 'open'.
-- Who acknowledged it and why stay in ops.finding_acks (flows/findings.py joins the latest ack).

with

anomalies as (

    select * from "j"."intermediate"."int_anomalies"

),

anomaly_rules as (

    select * from "j"."reference"."anomaly_rules"

),

reports as (

    select * from "j"."intermediate"."int_reports_current"

),

finding_acks as (

    select * from "j"."staging"."stg_jixiao__finding_acks"

),

acked_findings as (

    select distinct finding_id from finding_acks

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
        case when acked_findings.finding_id is not null then 'acked' else 'open' end as status,

        -- metadata
        anomalies.source_text
    from anomalies
    left join anomaly_rules
        on anomalies.rule_id = anomaly_rules.rule_id
    left join reports
        on anomalies.report_id = reports.report_id
    left join acked_findings
        on anomalies.finding_id = acked_findings.finding_id

)

select * from final
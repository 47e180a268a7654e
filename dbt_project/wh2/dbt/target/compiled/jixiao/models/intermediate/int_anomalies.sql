-- Every finding, one row each, from the rule models. rule_id is a contract (seeds/anomaly_rules.csv);
-- finding_id is md5(report_id|rule_id|subject|observed), so the same finding keeps its id across
-- runs and ops.finding_acks / ops.alert_log stay attached to it, while a changed figure is a
-- new finding.

with

fund_line_findings as (

    select * from "j"."intermediate"."int_fund_lines_checked"

),

fund_total_findings as (

    select * from "j"."intermediate"."int_fund_totals_checked"

),

indicator_findings as (

    select * from "j"."intermediate"."int_indicators_checked"

),

ratio_findings as (

    select * from "j"."intermediate"."int_ratios_checked"

),

findings as (

    select * from fund_line_findings
    union all
    select * from fund_total_findings
    union all
    select * from indicator_findings
    union all
    select * from ratio_findings

),

final as (

    select
        -- keys
        md5(concat_ws('|', report_id, rule_id, subject, observed)) as finding_id,
        report_id,
        subject_id,

        -- the finding
        rule_id,
        severity,
        subject,
        observed,
        expected,
        message,

        -- metadata
        source_text
    from findings

)

select * from final
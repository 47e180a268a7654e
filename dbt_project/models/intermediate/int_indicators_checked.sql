-- Findings about performance indicators (绩效指标) and the self-assessed score (自评得分).
--   indicator_missed: the actual misses the target (is_met false: warning), or the indicator
--     lost points (得分 below 分值: info, the report itself admits it).
--   score_mismatch: the report's 自评得分 against the sum of its form's indicator scores, the
--     预算执行率 得分 included when the parser landed it as an indicator row. Only for reports
--     with exactly one form, where the two must be the same number; a difference over 0.5 fires.
--     The 预算执行率 得分 may also come from the form's budget block (budget_lines.score).
--     When neither was landed, its points are
--     unknown but bounded: the form is out of 100, so the self score may exceed the indicators'
--     sum by at most 100 − their weights (usually the 10 points of 预算执行率).

with

indicators as (

    select * from {{ ref('int_indicators_parsed') }}

),

reports as (

    select * from {{ ref('int_reports_current') }}

),

indicator_missed as (

    select
        indicator_id as subject_id,
        report_id,
        'indicator_missed' as rule_id,
        case when is_met = false then 'warning' else 'info' end as severity,
        case when form is not null then form || ' ' else '' end
        || coalesce(level3, level2, level1, '指标' || line_no) as subject,
        coalesce(actual_text, '未填') || '（得分 ' || coalesce({{ format_number('score') }}, '-') || '/'
        || coalesce({{ format_number('weight') }}, '-') || '）' as observed,
        coalesce(target_text, '未填') as expected,
        case when form is not null then form || ' ' else '' end
        || coalesce(level3, level2, level1, '指标' || line_no) || ' 目标 ' || coalesce(target_text, '未填')
        || '，实际完成 ' || coalesce(actual_text, '未填')
        || case when is_met = false then '，未达到目标' else '' end
        || case
            when score is not null and weight is not null and score < weight
                then '；得分 ' || {{ format_number('score') }} || ' 分（分值 ' || {{ format_number('weight') }} || ' 分）'
            else ''
        end as message,
        source_text
    from indicators
    where is_met = false
        or {{ exceeds_tolerance('weight - score', 0.001) }} and score < weight

),

budget_scores as (

    -- the 预算执行率 points of a form's budget block (分值/得分 on its 年度资金总额 row)
    select
        report_id,
        sum(score) as budget_score
    from {{ ref('stg_jixiao__budget_lines') }}
    where score is not null and parent_line_no is null
    group by report_id

),

indicator_scores as (

    select
        report_id,
        count(distinct coalesce(form, '')) as form_count,
        min(form) as form,
        sum(score) as indicator_score_sum,
        sum(score) filter (where is_budget_execution_row) as budget_execution_score,
        -- points not covered by any landed indicator row: 预算执行率 when its row is missing
        case
            when bool_or(is_budget_execution_row) then 0
            else greatest(100 - coalesce(sum(weight), 100), 0)
        end as unlisted_points
    from indicators
    group by report_id

),

form_scores as (

    select
        indicator_scores.report_id,
        indicator_scores.form_count,
        indicator_scores.form,
        indicator_scores.indicator_score_sum
        + case
            when indicator_scores.budget_execution_score is null then coalesce(budget_scores.budget_score, 0)
            else 0
        end as indicator_score_sum,
        coalesce(indicator_scores.budget_execution_score, budget_scores.budget_score) as budget_execution_score,
        case
            when budget_scores.budget_score is not null then 0
            else indicator_scores.unlisted_points
        end as unlisted_points
    from indicator_scores
    left join budget_scores
        on indicator_scores.report_id = budget_scores.report_id

),

score_mismatch as (

    select
        reports.report_id as subject_id,
        reports.report_id,
        'score_mismatch' as rule_id,
        'warning' as severity,
        coalesce(form_scores.form || ' ', '') || '自评得分' as subject,
        {{ format_number('reports.self_score') }} || ' 分' as observed,
        {{ format_number('form_scores.indicator_score_sum') }}
        || case
            when form_scores.unlisted_points > 0
                then '–' || {{ format_number('form_scores.indicator_score_sum + form_scores.unlisted_points') }}
            else ''
        end || ' 分' as expected,
        coalesce(form_scores.form || ' ', '') || '报告自评得分 ' || {{ format_number('reports.self_score') }}
        || ' 分，与各项指标得分合计 ' || {{ format_number('form_scores.indicator_score_sum') }} || ' 分不符'
        || case
            when form_scores.budget_execution_score is not null
                then '（含预算执行率得分 ' || {{ format_number('form_scores.budget_execution_score') }} || ' 分）'
            when form_scores.unlisted_points > 0
                then '（未列预算执行率得分，至多另加 ' || {{ format_number('form_scores.unlisted_points') }} || ' 分）'
            else ''
        end as message,
        cast(null as varchar) as source_text
    from reports
    inner join form_scores
        on reports.report_id = form_scores.report_id
    where form_scores.form_count = 1
        and reports.self_score is not null
        and form_scores.indicator_score_sum is not null
        -- Rounded to 6 decimals like exceeds_tolerance: item scores such as 9.2 + 47.1 + 38.9 add up
        -- to 95.19999999999999 as doubles, and a self score exactly 0.5 off must not fire.
        and (
            round(form_scores.indicator_score_sum - reports.self_score, 6) > 0.5
            or round(reports.self_score - form_scores.indicator_score_sum - form_scores.unlisted_points, 6) > 0.5
        )

),

final as (

    select * from indicator_missed
    union all
    select * from score_mismatch

)

select * from final

{%- set warn = var('low_rate_warning_pct') -%}
{%- set crit = var('low_rate_critical_pct') -%}
{%- set over = var('over_execution_pct') -%}
{%- set rate_tol = var('rate_tolerance_pp') -%}
{%- set tol = var('amount_tolerance_wan') -%}
{%- set control_max = var('control_rate_max_pct') -%}
{#- the same thresholds as they read in messages: 60, not 60.0 -#}
{%- set warn_text = format_threshold(warn) -%}
{%- set crit_text = format_threshold(crit) -%}
{%- set over_text = format_threshold(over) -%}
{%- set control_max_text = format_threshold(control_max) -%}
{%- set figures = [
    ('initial_budget_wan_yuan', 'initial_budget_values', '年初预算', ' 万元'),
    ('adjustment_wan_yuan', 'adjustment_values', '年中调整', ' 万元'),
    ('full_year_budget_wan_yuan', 'full_year_budget_values', '全年预算', ' 万元'),
    ('actual_wan_yuan', 'actual_values', '实际支出', ' 万元'),
    ('balance_wan_yuan', 'balance_values', '结余', ' 万元'),
    ('stated_execution_rate_pct', 'stated_rate_values', '执行率', '%'),
] -%}
-- Findings about single budget lines, one row per (line, rule). Thresholds come from vars.
-- Messages are written for a finance officer: the figures as the report states them (万元 with
-- thousands separators, rates with two decimals) and the threshold that was crossed.

with

derived_lines as (

    select * from {{ ref('int_fund_lines_derived') }}

),

-- A row that only restates its total (其中：当年财政拨款 = 年度资金总额) is judged through its total.
-- The rates compared with the thresholds are rounded to 6 decimals first, as exceeds_tolerance does
-- for differences: a rate computed from amounts carries binary floating-point noise (100.08 ÷ 111.20
-- is exactly 90% but 89.99999999999999 as a double, 年初 100.74 + 追加 20.96 spent to the cent is
-- 100.00000000000003%), and a rate of exactly a threshold must not cross it.
lines as (

    select
        *,
        round(effective_execution_rate_pct, 6) as threshold_rate_pct,
        round(coalesce(stated_execution_rate_pct, computed_execution_rate_pct), 6) as threshold_stated_rate_pct,
        round(rate_on_initial_pct, 6) as threshold_rate_on_initial_pct
    from derived_lines
    where not coalesce(is_restatement, false)

),

low_execution_rate as (

    select
        line_id as subject_id,
        report_id,
        'low_execution_rate' as rule_id,
        case
            when threshold_rate_pct < {{ crit }} then 'critical'
            else 'warning'
        end as severity,
        subject_name as subject,
        {{ format_pct('effective_execution_rate_pct') }} || '%' as observed,
        '≥ {{ warn_text }}%' as expected,
        subject_name || ' 预算执行率 ' || {{ format_pct('effective_execution_rate_pct') }} || '%，低于 '
        || case
            when threshold_rate_pct < {{ crit }} then '{{ crit_text }}% 的严重阈值'
            else '{{ warn_text }}% 的预警阈值'
        end
        || case
            when computed_execution_rate_pct is not null
                then '（实际支出 ' || {{ format_amount('actual_wan_yuan') }} || ' 万元 / 全年预算 '
                    || {{ format_amount('budget_basis_wan_yuan') }} || ' 万元）'
            else '（报告所列执行率）'
        end as message,
        source_text
    from lines
    -- A budget of 0 has no rate; a stated rate without any budget figure still counts.
    where not is_control_rate
        and coalesce(budget_basis_wan_yuan, 1) > 0
        and threshold_rate_pct < {{ warn }}

),

over_execution as (

    select
        line_id as subject_id,
        report_id,
        'over_execution' as rule_id,
        'warning' as severity,
        subject_name as subject,
        {{ format_pct('effective_execution_rate_pct') }} || '%' as observed,
        '≤ {{ over_text }}%' as expected,
        subject_name || ' 预算执行率 ' || {{ format_pct('effective_execution_rate_pct') }} || '%，超过 {{ over_text }}%'
        || case
            when computed_execution_rate_pct is not null
                then '（实际支出 ' || {{ format_amount('actual_wan_yuan') }} || ' 万元 / 全年预算 '
                    || {{ format_amount('budget_basis_wan_yuan') }} || ' 万元）'
            else '（报告所列执行率）'
        end as message,
        source_text
    from lines
    where not is_control_rate
        and threshold_rate_pct > {{ over }}

),

stated_rate_mismatch as (

    select
        line_id as subject_id,
        report_id,
        'stated_rate_mismatch' as rule_id,
        'warning' as severity,
        subject_name as subject,
        {{ format_pct('stated_execution_rate_pct') }} || '%' as observed,
        {{ format_pct('computed_execution_rate_pct') }} || '%' as expected,
        subject_name || ' 报告所列' || coalesce(rate_label, '执行率') || ' '
        || {{ format_pct('stated_execution_rate_pct') }} || '%，按实际支出 '
        || {{ format_amount('actual_wan_yuan') }} || ' 万元 / 预算 '
        || {{ format_amount('budget_basis_wan_yuan') }} || ' 万元计算应为 '
        || {{ format_pct('computed_execution_rate_pct') }} || '%（相差 '
        || {{ format_pct('abs(execution_rate_diff_pp)') }} || ' 个百分点）' as message,
        source_text
    from lines
    where {{ exceeds_tolerance('execution_rate_diff_pp', rate_tol) }}

),

balance_mismatch as (

    select
        line_id as subject_id,
        report_id,
        'balance_mismatch' as rule_id,
        'warning' as severity,
        subject_name as subject,
        {{ format_amount('balance_wan_yuan') }} || ' 万元' as observed,
        {{ format_amount('computed_balance_wan_yuan') }} || ' 万元' as expected,
        subject_name || ' 结余 ' || {{ format_amount('balance_wan_yuan') }} || ' 万元，与全年预算 '
        || {{ format_amount('budget_basis_wan_yuan') }} || ' 万元 − 实际支出 '
        || {{ format_amount('actual_wan_yuan') }} || ' 万元 = '
        || {{ format_amount('computed_balance_wan_yuan') }} || ' 万元不符' as message,
        source_text
    from lines
    where {{ exceeds_tolerance('balance_diff_wan_yuan', tol) }}

),

budget_mismatch as (

    select
        line_id as subject_id,
        report_id,
        'budget_mismatch' as rule_id,
        'warning' as severity,
        subject_name as subject,
        {{ format_amount('full_year_budget_wan_yuan') }} || ' 万元' as observed,
        {{ format_amount('computed_full_year_budget_wan_yuan') }} || ' 万元' as expected,
        subject_name || ' 全年预算 ' || {{ format_amount('full_year_budget_wan_yuan') }}
        || ' 万元，与年初预算 ' || {{ format_amount('initial_budget_wan_yuan') }} || ' 万元 + 年中调整 '
        || {{ format_amount('adjustment_wan_yuan') }} || ' 万元 = '
        || {{ format_amount('computed_full_year_budget_wan_yuan') }} || ' 万元不符' as message,
        source_text
    from lines
    where {{ exceeds_tolerance('full_year_budget_diff_wan_yuan', tol) }}

),

masked_execution as (

    select
        line_id as subject_id,
        report_id,
        'masked_execution' as rule_id,
        case when threshold_rate_on_initial_pct < {{ crit }} then 'critical' else 'warning' end as severity,
        subject_name as subject,
        {{ format_pct('rate_on_initial_pct') }} || '%' as observed,
        '≥ {{ warn_text }}%' as expected,
        subject_name || ' 全年预算由年初 ' || {{ format_amount('initial_budget_wan_yuan') }}
        || ' 万元调减至 ' || {{ format_amount('full_year_budget_wan_yuan') }} || ' 万元，预算执行率 '
        || {{ format_pct('coalesce(stated_execution_rate_pct, computed_execution_rate_pct)') }}
        || '% 看似正常，但按年初预算计仅 ' || {{ format_pct('rate_on_initial_pct') }} || '%，低于 '
        || case
            when threshold_rate_on_initial_pct < {{ crit }} then '{{ crit_text }}% 的严重阈值'
            else '{{ warn_text }}% 的预警阈值'
        end
        || '（实际支出 ' || {{ format_amount('actual_wan_yuan') }} || ' 万元 / 年初预算 '
        || {{ format_amount('initial_budget_wan_yuan') }} || ' 万元）' as message,
        source_text
    from lines
    where not is_control_rate
        and {{ exceeds_tolerance('initial_budget_wan_yuan - full_year_budget_wan_yuan', tol) }}
        and full_year_budget_wan_yuan < initial_budget_wan_yuan
        and threshold_stated_rate_pct >= {{ warn }}
        and threshold_rate_on_initial_pct < {{ warn }}

),

-- Judged per line name, not per fact: the budget of 工发专项 stated in one sentence and its
-- spending in another is not missing. Generic totals (合计, 整体支出) are judged one by one.
line_names as (

    select
        report_id,
        first(line_id order by origin <> 'table', line_no) as subject_id,
        first(subject_name order by origin <> 'table', line_no) as subject_name,
        max(coalesce(full_year_budget_wan_yuan, budget_basis_wan_yuan)) as budget_wan_yuan,
        count(actual_wan_yuan) as actual_count,
        count(stated_execution_rate_pct) as rate_count,
        first(source_text order by origin <> 'table', line_no) as source_text
    from lines
    group by report_id, form, case when is_generic_total then line_id else name_key end

),

missing_execution as (

    select
        subject_id,
        report_id,
        'missing_execution' as rule_id,
        'info' as severity,
        subject_name as subject,
        '预算 ' || {{ format_amount('budget_wan_yuan') }} || ' 万元，无实际支出/执行率' as observed,
        '实际支出或执行率' as expected,
        subject_name || ' 列有预算 ' || {{ format_amount('budget_wan_yuan') }}
        || ' 万元，但报告中未见该项的实际支出或执行率' as message,
        source_text
    from line_names
    where budget_wan_yuan > 0
        and actual_count = 0
        and rate_count = 0

),

control_rate_over as (

    select
        line_id as subject_id,
        report_id,
        'control_rate_over' as rule_id,
        'warning' as severity,
        subject_name as subject,
        {{ format_pct('coalesce(stated_execution_rate_pct, computed_execution_rate_pct)') }} || '%' as observed,
        '≤ {{ control_max_text }}%' as expected,
        subject_name || ' 控制率 '
        || {{ format_pct('coalesce(stated_execution_rate_pct, computed_execution_rate_pct)') }}
        || '%，超过 {{ control_max_text }}% 的上限'
        || case
            when actual_wan_yuan is not null and budget_basis_wan_yuan is not null
                then '（实际支出 ' || {{ format_amount('actual_wan_yuan') }} || ' 万元 / 预算 '
                    || {{ format_amount('budget_basis_wan_yuan') }} || ' 万元）'
            else ''
        end as message,
        source_text
    from lines
    where is_control_rate
        and threshold_stated_rate_pct > {{ control_max }}

),

conflicting_figures as (

    {%- for column, list_name, label, unit in figures %}
    {%- set values_text -%}
        array_to_string(
            list_transform(
                {{ list_name }},
                lambda value: {{ format_pct('value') if unit == '%' else format_amount('value') }} || '{{ unit }}'
            ),
            ' / '
        )
    {%- endset %}
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' {{ label }}' as subject,
        {{ values_text }} as observed,
        '各处一致' as expected,
        subject_name || ' {{ label }}在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || {{ values_text }} as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, '{{ column }}')
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select * from low_execution_rate
    union all
    select * from over_execution
    union all
    select * from stated_rate_mismatch
    union all
    select * from balance_mismatch
    union all
    select * from budget_mismatch
    union all
    select * from masked_execution
    union all
    select * from missing_execution
    union all
    select * from control_rate_over
    union all
    select * from conflicting_figures

)

select * from final

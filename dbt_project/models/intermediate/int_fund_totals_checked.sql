{%- set tol = var('amount_tolerance_wan') -%}
{%- set budget_measures = [
    ('initial_budget_wan_yuan', '年初预算'),
    ('adjustment_wan_yuan', '年中调整'),
    ('full_year_budget_wan_yuan', '全年预算'),
    ('actual_wan_yuan', '实际支出'),
    ('balance_wan_yuan', '结余'),
] -%}
{%- set disbursement_measures = [
    ('budget_wan_yuan', '预算'),
    ('amount_wan_yuan', '实际支出'),
] -%}
-- total_mismatch: a total row (合计, a fund's total) against the sum of the rows that point to
-- it (parent_line_no), per figure, for budget lines and for spending lists alike. Each row may
-- carry 0.005 of rounding, so the slack is amount_tolerance_wan × number of rows.
-- A figure is checked only when the total and every one of its rows state it: a blank cell
-- means "not stated", and guessing it as 0 would raise findings the report does not support.

with

budget_lines as (

    select * from {{ ref('int_budget_lines_classified') }}

),

disbursements as (

    select * from {{ ref('stg_jixiao__disbursements') }}

),

current_reports as (

    select report_id from {{ ref('int_reports_current') }}

),

current_disbursements as (

    select disbursements.*
    from disbursements
    inner join current_reports
        on disbursements.report_id = current_reports.report_id

),

{%- for kind, relation, name_column, measures, prefix in [
    ('budget', 'budget_lines', 'line_name', budget_measures, ''),
    ('disbursement', 'current_disbursements', 'item_name', disbursement_measures, '支出明细 '),
] %}

{{ kind }}_children as (

    select
        report_id,
        parent_line_no,
        {%- for column, label in measures %}
        sum({{ column }}) as {{ column }}_sum,
        count({{ column }}) as {{ column }}_stated,
        {%- endfor %}
        count(*) as child_count
    from {{ relation }}
    where parent_line_no is not null
    group by report_id, parent_line_no

),

{{ kind }}_totals as (

    {%- for column, label in measures %}
    select
        {%- if kind == 'budget' %}
        totals.line_id as subject_id,
        {%- else %}
        totals.report_id || ':db' || totals.line_no as subject_id,
        {%- endif %}
        totals.report_id,
        '{{ prefix }}' || case
            when totals.form is not null and totals.form <> totals.{{ name_column }} then totals.form || ' '
            else ''
        end || totals.{{ name_column }}
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.{{ name_column }}) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' {{ label }}' as subject,
        totals.{{ column }} as total_value,
        children.{{ column }}_sum as children_sum,
        children.child_count,
        '{{ label }}' as measure_label,
        totals.source_text
    from {{ relation }} as totals
    inner join {{ kind }}_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.{{ column }} is not null
        and children.{{ column }}_stated = children.child_count
    {{ "union all" if not loop.last }}
    {%- endfor %}

),
{%- endfor %}

comparisons as (

    select * from budget_totals
    union all
    select * from disbursement_totals

),

final as (

    select
        subject_id,
        report_id,
        'total_mismatch' as rule_id,
        'warning' as severity,
        subject,
        {{ format_amount('total_value') }} || ' 万元' as observed,
        {{ format_amount('children_sum') }} || ' 万元' as expected,
        subject || ' ' || {{ format_amount('total_value') }} || ' 万元，与其下 ' || child_count
        || ' 项之和 ' || {{ format_amount('children_sum') }} || ' 万元不符（相差 '
        || {{ format_amount('abs(total_value - children_sum)') }} || ' 万元）' as message,
        source_text
    from comparisons
    where {{ exceeds_tolerance('total_value - children_sum', tol ~ ' * child_count') }}

)

select * from final

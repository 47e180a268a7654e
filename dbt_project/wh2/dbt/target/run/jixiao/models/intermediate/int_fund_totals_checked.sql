
  
  create view "j"."intermediate"."int_fund_totals_checked__dbt_tmp" as (
    -- total_mismatch: a total row (合计, a fund's total) against the sum of the rows that point to
-- it (parent_line_no), per figure, for budget lines and for spending lists alike. Each row may
-- carry 0.005 of rounding, so the slack is amount_tolerance_wan × number of rows.
-- A figure is checked only when the total and every one of its rows state it: a blank cell
-- means "not stated", and guessing it as 0 would raise findings the report does not support.

with

budget_lines as (

    select * from "j"."intermediate"."int_budget_lines_classified"

),

disbursements as (

    select * from "j"."staging"."stg_jixiao__disbursements"

),

current_reports as (

    select report_id from "j"."intermediate"."int_reports_current"

),

current_disbursements as (

    select disbursements.*
    from disbursements
    inner join current_reports
        on disbursements.report_id = current_reports.report_id

),

budget_children as (

    select
        report_id,
        parent_line_no,
        sum(initial_budget_wan_yuan) as initial_budget_wan_yuan_sum,
        count(initial_budget_wan_yuan) as initial_budget_wan_yuan_stated,
        sum(adjustment_wan_yuan) as adjustment_wan_yuan_sum,
        count(adjustment_wan_yuan) as adjustment_wan_yuan_stated,
        sum(full_year_budget_wan_yuan) as full_year_budget_wan_yuan_sum,
        count(full_year_budget_wan_yuan) as full_year_budget_wan_yuan_stated,
        sum(actual_wan_yuan) as actual_wan_yuan_sum,
        count(actual_wan_yuan) as actual_wan_yuan_stated,
        sum(balance_wan_yuan) as balance_wan_yuan_sum,
        count(balance_wan_yuan) as balance_wan_yuan_stated,
        count(*) as child_count
    from budget_lines
    where parent_line_no is not null
    group by report_id, parent_line_no

),

budget_totals as (
    select
        totals.line_id as subject_id,
        totals.report_id,
        '' || case
            when totals.form is not null and totals.form <> totals.line_name then totals.form || ' '
            else ''
        end || totals.line_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.line_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 年初预算' as subject,
        totals.initial_budget_wan_yuan as total_value,
        children.initial_budget_wan_yuan_sum as children_sum,
        children.child_count,
        '年初预算' as measure_label,
        totals.source_text
    from budget_lines as totals
    inner join budget_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.initial_budget_wan_yuan is not null
        and children.initial_budget_wan_yuan_stated = children.child_count
    union all
    select
        totals.line_id as subject_id,
        totals.report_id,
        '' || case
            when totals.form is not null and totals.form <> totals.line_name then totals.form || ' '
            else ''
        end || totals.line_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.line_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 年中调整' as subject,
        totals.adjustment_wan_yuan as total_value,
        children.adjustment_wan_yuan_sum as children_sum,
        children.child_count,
        '年中调整' as measure_label,
        totals.source_text
    from budget_lines as totals
    inner join budget_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.adjustment_wan_yuan is not null
        and children.adjustment_wan_yuan_stated = children.child_count
    union all
    select
        totals.line_id as subject_id,
        totals.report_id,
        '' || case
            when totals.form is not null and totals.form <> totals.line_name then totals.form || ' '
            else ''
        end || totals.line_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.line_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 全年预算' as subject,
        totals.full_year_budget_wan_yuan as total_value,
        children.full_year_budget_wan_yuan_sum as children_sum,
        children.child_count,
        '全年预算' as measure_label,
        totals.source_text
    from budget_lines as totals
    inner join budget_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.full_year_budget_wan_yuan is not null
        and children.full_year_budget_wan_yuan_stated = children.child_count
    union all
    select
        totals.line_id as subject_id,
        totals.report_id,
        '' || case
            when totals.form is not null and totals.form <> totals.line_name then totals.form || ' '
            else ''
        end || totals.line_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.line_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 实际支出' as subject,
        totals.actual_wan_yuan as total_value,
        children.actual_wan_yuan_sum as children_sum,
        children.child_count,
        '实际支出' as measure_label,
        totals.source_text
    from budget_lines as totals
    inner join budget_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.actual_wan_yuan is not null
        and children.actual_wan_yuan_stated = children.child_count
    union all
    select
        totals.line_id as subject_id,
        totals.report_id,
        '' || case
            when totals.form is not null and totals.form <> totals.line_name then totals.form || ' '
            else ''
        end || totals.line_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.line_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 结余' as subject,
        totals.balance_wan_yuan as total_value,
        children.balance_wan_yuan_sum as children_sum,
        children.child_count,
        '结余' as measure_label,
        totals.source_text
    from budget_lines as totals
    inner join budget_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.balance_wan_yuan is not null
        and children.balance_wan_yuan_stated = children.child_count
    

),

disbursement_children as (

    select
        report_id,
        parent_line_no,
        sum(budget_wan_yuan) as budget_wan_yuan_sum,
        count(budget_wan_yuan) as budget_wan_yuan_stated,
        sum(amount_wan_yuan) as amount_wan_yuan_sum,
        count(amount_wan_yuan) as amount_wan_yuan_stated,
        count(*) as child_count
    from current_disbursements
    where parent_line_no is not null
    group by report_id, parent_line_no

),

disbursement_totals as (
    select
        totals.report_id || ':db' || totals.line_no as subject_id,
        totals.report_id,
        '支出明细 ' || case
            when totals.form is not null and totals.form <> totals.item_name then totals.form || ' '
            else ''
        end || totals.item_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.item_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 预算' as subject,
        totals.budget_wan_yuan as total_value,
        children.budget_wan_yuan_sum as children_sum,
        children.child_count,
        '预算' as measure_label,
        totals.source_text
    from current_disbursements as totals
    inner join disbursement_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.budget_wan_yuan is not null
        and children.budget_wan_yuan_stated = children.child_count
    union all
    select
        totals.report_id || ':db' || totals.line_no as subject_id,
        totals.report_id,
        '支出明细 ' || case
            when totals.form is not null and totals.form <> totals.item_name then totals.form || ' '
            else ''
        end || totals.item_name
        || case
            when count(*) over (partition by totals.report_id, totals.form, totals.item_name) > 1
                then '（' || coalesce(totals.group_id, 'line' || totals.line_no) || '）'
            else ''
        end
        || ' 实际支出' as subject,
        totals.amount_wan_yuan as total_value,
        children.amount_wan_yuan_sum as children_sum,
        children.child_count,
        '实际支出' as measure_label,
        totals.source_text
    from current_disbursements as totals
    inner join disbursement_children as children
        on totals.report_id = children.report_id
        and totals.line_no = children.parent_line_no
    where totals.amount_wan_yuan is not null
        and children.amount_wan_yuan_stated = children.child_count
    

),

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
        format('{:,.2f}', total_value) || ' 万元' as observed,
        format('{:,.2f}', children_sum) || ' 万元' as expected,
        subject || ' ' || format('{:,.2f}', total_value) || ' 万元，与其下 ' || child_count
        || ' 项之和 ' || format('{:,.2f}', children_sum) || ' 万元不符（相差 '
        || format('{:,.2f}', abs(total_value - children_sum)) || ' 万元）' as message,
        source_text
    from comparisons
    where (round(abs(total_value - children_sum), 6) > 0.01 * child_count)

)

select * from final
  );

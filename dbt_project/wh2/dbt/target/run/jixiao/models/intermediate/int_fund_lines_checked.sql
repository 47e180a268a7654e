
  
  create view "j"."intermediate"."int_fund_lines_checked__dbt_tmp" as (
    -- Findings about single budget lines, one row per (line, rule). Thresholds come from vars.
-- Messages are written for a finance officer: the figures as the report states them (万元 with
-- thousands separators, rates with two decimals) and the threshold that was crossed.

with

derived_lines as (

    select * from "j"."intermediate"."int_fund_lines_derived"

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
            when threshold_rate_pct < 60 then 'critical'
            else 'warning'
        end as severity,
        subject_name as subject,
        format('{:.2f}', effective_execution_rate_pct) || '%' as observed,
        '≥ 90%' as expected,
        subject_name || ' 预算执行率 ' || format('{:.2f}', effective_execution_rate_pct) || '%，低于 '
        || case
            when threshold_rate_pct < 60 then '60% 的严重阈值'
            else '90% 的预警阈值'
        end
        || case
            when computed_execution_rate_pct is not null
                then '（实际支出 ' || format('{:,.2f}', actual_wan_yuan) || ' 万元 / 全年预算 '
                    || format('{:,.2f}', budget_basis_wan_yuan) || ' 万元）'
            else '（报告所列执行率）'
        end as message,
        source_text
    from lines
    -- A budget of 0 has no rate; a stated rate without any budget figure still counts.
    where not is_control_rate
        and coalesce(budget_basis_wan_yuan, 1) > 0
        and threshold_rate_pct < 90

),

over_execution as (

    select
        line_id as subject_id,
        report_id,
        'over_execution' as rule_id,
        'warning' as severity,
        subject_name as subject,
        format('{:.2f}', effective_execution_rate_pct) || '%' as observed,
        '≤ 100%' as expected,
        subject_name || ' 预算执行率 ' || format('{:.2f}', effective_execution_rate_pct) || '%，超过 100%'
        || case
            when computed_execution_rate_pct is not null
                then '（实际支出 ' || format('{:,.2f}', actual_wan_yuan) || ' 万元 / 全年预算 '
                    || format('{:,.2f}', budget_basis_wan_yuan) || ' 万元）'
            else '（报告所列执行率）'
        end as message,
        source_text
    from lines
    where not is_control_rate
        and threshold_rate_pct > 100

),

stated_rate_mismatch as (

    select
        line_id as subject_id,
        report_id,
        'stated_rate_mismatch' as rule_id,
        'warning' as severity,
        subject_name as subject,
        format('{:.2f}', stated_execution_rate_pct) || '%' as observed,
        format('{:.2f}', computed_execution_rate_pct) || '%' as expected,
        subject_name || ' 报告所列' || coalesce(rate_label, '执行率') || ' '
        || format('{:.2f}', stated_execution_rate_pct) || '%，按实际支出 '
        || format('{:,.2f}', actual_wan_yuan) || ' 万元 / 预算 '
        || format('{:,.2f}', budget_basis_wan_yuan) || ' 万元计算应为 '
        || format('{:.2f}', computed_execution_rate_pct) || '%（相差 '
        || format('{:.2f}', abs(execution_rate_diff_pp)) || ' 个百分点）' as message,
        source_text
    from lines
    where (round(abs(execution_rate_diff_pp), 6) > 0.05)

),

balance_mismatch as (

    select
        line_id as subject_id,
        report_id,
        'balance_mismatch' as rule_id,
        'warning' as severity,
        subject_name as subject,
        format('{:,.2f}', balance_wan_yuan) || ' 万元' as observed,
        format('{:,.2f}', computed_balance_wan_yuan) || ' 万元' as expected,
        subject_name || ' 结余 ' || format('{:,.2f}', balance_wan_yuan) || ' 万元，与全年预算 '
        || format('{:,.2f}', budget_basis_wan_yuan) || ' 万元 − 实际支出 '
        || format('{:,.2f}', actual_wan_yuan) || ' 万元 = '
        || format('{:,.2f}', computed_balance_wan_yuan) || ' 万元不符' as message,
        source_text
    from lines
    where (round(abs(balance_diff_wan_yuan), 6) > 0.01)

),

budget_mismatch as (

    select
        line_id as subject_id,
        report_id,
        'budget_mismatch' as rule_id,
        'warning' as severity,
        subject_name as subject,
        format('{:,.2f}', full_year_budget_wan_yuan) || ' 万元' as observed,
        format('{:,.2f}', computed_full_year_budget_wan_yuan) || ' 万元' as expected,
        subject_name || ' 全年预算 ' || format('{:,.2f}', full_year_budget_wan_yuan)
        || ' 万元，与年初预算 ' || format('{:,.2f}', initial_budget_wan_yuan) || ' 万元 + 年中调整 '
        || format('{:,.2f}', adjustment_wan_yuan) || ' 万元 = '
        || format('{:,.2f}', computed_full_year_budget_wan_yuan) || ' 万元不符' as message,
        source_text
    from lines
    where (round(abs(full_year_budget_diff_wan_yuan), 6) > 0.01)

),

masked_execution as (

    select
        line_id as subject_id,
        report_id,
        'masked_execution' as rule_id,
        case when threshold_rate_on_initial_pct < 60 then 'critical' else 'warning' end as severity,
        subject_name as subject,
        format('{:.2f}', rate_on_initial_pct) || '%' as observed,
        '≥ 90%' as expected,
        subject_name || ' 全年预算由年初 ' || format('{:,.2f}', initial_budget_wan_yuan)
        || ' 万元调减至 ' || format('{:,.2f}', full_year_budget_wan_yuan) || ' 万元，预算执行率 '
        || format('{:.2f}', coalesce(stated_execution_rate_pct, computed_execution_rate_pct))
        || '% 看似正常，但按年初预算计仅 ' || format('{:.2f}', rate_on_initial_pct) || '%，低于 '
        || case
            when threshold_rate_on_initial_pct < 60 then '60% 的严重阈值'
            else '90% 的预警阈值'
        end
        || '（实际支出 ' || format('{:,.2f}', actual_wan_yuan) || ' 万元 / 年初预算 '
        || format('{:,.2f}', initial_budget_wan_yuan) || ' 万元）' as message,
        source_text
    from lines
    where not is_control_rate
        and (round(abs(initial_budget_wan_yuan - full_year_budget_wan_yuan), 6) > 0.01)
        and full_year_budget_wan_yuan < initial_budget_wan_yuan
        and threshold_stated_rate_pct >= 90
        and threshold_rate_on_initial_pct < 90

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
        '预算 ' || format('{:,.2f}', budget_wan_yuan) || ' 万元，无实际支出/执行率' as observed,
        '实际支出或执行率' as expected,
        subject_name || ' 列有预算 ' || format('{:,.2f}', budget_wan_yuan)
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
        format('{:.2f}', coalesce(stated_execution_rate_pct, computed_execution_rate_pct)) || '%' as observed,
        '≤ 100%' as expected,
        subject_name || ' 控制率 '
        || format('{:.2f}', coalesce(stated_execution_rate_pct, computed_execution_rate_pct))
        || '%，超过 100% 的上限'
        || case
            when actual_wan_yuan is not null and budget_basis_wan_yuan is not null
                then '（实际支出 ' || format('{:,.2f}', actual_wan_yuan) || ' 万元 / 预算 '
                    || format('{:,.2f}', budget_basis_wan_yuan) || ' 万元）'
            else ''
        end as message,
        source_text
    from lines
    where is_control_rate
        and threshold_stated_rate_pct > 100

),

conflicting_figures as (
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' 年初预算' as subject,
        array_to_string(
            list_transform(
                initial_budget_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as observed,
        '各处一致' as expected,
        subject_name || ' 年初预算在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || array_to_string(
            list_transform(
                initial_budget_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, 'initial_budget_wan_yuan')
    union all
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' 年中调整' as subject,
        array_to_string(
            list_transform(
                adjustment_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as observed,
        '各处一致' as expected,
        subject_name || ' 年中调整在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || array_to_string(
            list_transform(
                adjustment_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, 'adjustment_wan_yuan')
    union all
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' 全年预算' as subject,
        array_to_string(
            list_transform(
                full_year_budget_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as observed,
        '各处一致' as expected,
        subject_name || ' 全年预算在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || array_to_string(
            list_transform(
                full_year_budget_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, 'full_year_budget_wan_yuan')
    union all
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' 实际支出' as subject,
        array_to_string(
            list_transform(
                actual_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as observed,
        '各处一致' as expected,
        subject_name || ' 实际支出在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || array_to_string(
            list_transform(
                actual_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, 'actual_wan_yuan')
    union all
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' 结余' as subject,
        array_to_string(
            list_transform(
                balance_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as observed,
        '各处一致' as expected,
        subject_name || ' 结余在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || array_to_string(
            list_transform(
                balance_values,
                lambda value: format('{:,.2f}', value) || ' 万元'
            ),
            ' / '
        ) as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, 'balance_wan_yuan')
    union all
    select
        line_id as subject_id,
        report_id,
        'conflicting_figures' as rule_id,
        'warning' as severity,
        subject_name || ' 执行率' as subject,
        array_to_string(
            list_transform(
                stated_rate_values,
                lambda value: format('{:.2f}', value) || '%'
            ),
            ' / '
        ) as observed,
        '各处一致' as expected,
        subject_name || ' 执行率在报告中 ' || mention_count || ' 处提及，数值不一致：'
        || array_to_string(
            list_transform(
                stated_rate_values,
                lambda value: format('{:.2f}', value) || '%'
            ),
            ' / '
        ) as message,
        array_to_string(source_texts, ' …… ') as source_text
    from derived_lines
    where list_contains(conflicting_measures, 'stated_execution_rate_pct')
    

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
  );

-- control_rate_over for ratios stated in prose: a *控制率 (三公经费控制率, 在职人员控制率 …)
-- above control_rate_max_pct means spending went past its allowance. 预算控制率 is left out: it
-- is usually adjustment ÷ initial budget, where a value over 100% says nothing about overspending.
-- Control-rate budget lines are checked in int_fund_lines_checked.

with

ratios as (

    select * from "j"."staging"."stg_jixiao__ratios"

),

current_reports as (

    select report_id from "j"."intermediate"."int_reports_current"

),

control_rates as (

    select
        ratios.*,
        regexp_replace(
        translate(ratios.ratio_name, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ) as name_folded
    from ratios
    inner join current_reports
        on ratios.report_id = current_reports.report_id

),

final as (

    select
        report_id || ':ra' || line_no as subject_id,
        report_id,
        'control_rate_over' as rule_id,
        'warning' as severity,
        ratio_name as subject,
        format('{:.2f}', value_pct) || '%' as observed,
        '≤ 100%' as expected,
        ratio_name || ' ' || format('{:.2f}', value_pct) || '%，超过 100% 的上限'
            as message,
        source_text
    from control_rates
    where name_folded like '%控制率'
        and name_folded not like '%预算控制率'
        and value_pct > 100

)

select * from final
-- Budget execution lines of the current reports, one row per mention (a table row or a
-- sentence), classified by what kind of money they are, linked to their total row, and given
-- the key under which mentions of the same figure are later reconciled.

with

budget_lines as (

    select * from "j"."staging"."stg_jixiao__budget_lines"

),

current_reports as (

    select report_id from "j"."intermediate"."int_reports_current"

),

current_lines as (

    select
        budget_lines.*,
        regexp_replace(
        translate(budget_lines.line_name, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ) as name_folded
    from budget_lines
    inner join current_reports
        on budget_lines.report_id = current_reports.report_id

),

classified as (

    select
        *,
        -- Order matters: 公共项目支出 is public_project before project, 三公 before anything.
        case
            when is_total
                or regexp_full_match(name_folded, '合计|总计|小计|整体支出|部门整体支出')
                or regexp_matches(name_folded, '(合计|总计|资金总额)$')
                then 'total'
            when regexp_matches(name_folded, '三公|公务接待|公务用车|公车|因公出国') then 'three_public'
            when regexp_matches(name_folded, '政府采购') then 'procurement'
            when regexp_matches(name_folded, '人员经费|工资福利|对个人和家庭的补助') then 'personnel'
            when regexp_matches(name_folded, '公用经费|商品和服务') then 'public_use'
            when regexp_matches(name_folded, '基本支出') then 'basic'
            when regexp_matches(name_folded, '公共项目') then 'public_project'
            when regexp_matches(name_folded, '专项') then 'special_fund'
            when regexp_matches(name_folded, '项目支出|部门项目') then 'project'
            else 'other'
        end as line_class,
        -- A label that names nothing but "the total": it is only identifiable by its figures.
        regexp_full_match(name_folded, '合计|总计|小计|整体支出|部门整体支出') as is_generic_total
    from current_lines

),

labelled as (

    select
        *,
        -- The parser's own label when landed, else what the sentence says, else the table kind:
        -- 三公经费 tables state 控制率 in the rate column (table rows do not carry the header).
        coalesce(
            rate_label,
            case
                when source_text like '%控制率%' then '控制率'
                when source_text like '%预算执行率%' then '预算执行率'
                when source_text like '%执行率%' then '执行率'
                when line_class = 'three_public' then '控制率'
                when stated_execution_rate_pct is not null then '执行率'
            end
        ) as rate_label_resolved
    from classified

),

final as (

    select
        -- keys
        report_id || ':bl' || line_no as line_id,
        report_id,
        line_no,
        parent_line_no,
        case when parent_line_no is not null then report_id || ':bl' || parent_line_no end as parent_line_id,

        -- what the line is
        line_name,
        name_folded,
        line_class,
        rate_label_resolved as rate_label,
        coalesce(rate_label_resolved like '%控制率%', false) as is_control_rate,
        coalesce(is_total, false) as is_total,
        is_generic_total,
        form,
        group_id,
        origin,
        -- The name without a trailing 支出/资金/预算, which prose adds or drops at will
        -- (公共项目 / 公共项目支出, 人社专项 / 人社专项资金).
        regexp_replace(name_folded, '(.)(支出|资金|预算)$', '\1') as name_key,
        -- Same report, same form, same name → same figure. Generic totals are keyed by their
        -- table, so the 合计 of two different tables never look like one conflicting figure.
        coalesce(form, '') || '|' || case
            when is_generic_total then name_folded || '@' || coalesce(group_id, 'line' || line_no)
            else regexp_replace(name_folded, '(.)(支出|资金|预算)$', '\1')
        end as base_key,

        -- facts
        initial_budget_wan_yuan,
        adjustment_wan_yuan,
        full_year_budget_wan_yuan,
        actual_wan_yuan,
        balance_wan_yuan,
        stated_execution_rate_pct,

        -- metadata
        source_start,
        source_end,
        source_text
    from labelled

)

select * from final
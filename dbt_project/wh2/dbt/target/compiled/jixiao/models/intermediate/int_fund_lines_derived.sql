-- Each reconciled budget line with the arithmetic recomputed from its own figures, next to what
-- the report states, so the checks only compare columns.
--
-- The execution rate is 实际支出 ÷ 全年预算. When the report states no 全年预算, the full-year
-- budget is 年初预算 + 年中调整, an adjustment that is not mentioned counting as none (a sentence
-- "年初预算 6,000 万元，实际支出 1,421.02 万元，预算执行率 23.68%" computes its rate that way).

with

reconciled as (

    select * from "j"."intermediate"."int_budget_lines_reconciled"

),

budget_basis as (

    select
        *,
        case
            when initial_budget_wan_yuan is not null and adjustment_wan_yuan is not null
                then initial_budget_wan_yuan + adjustment_wan_yuan
        end as computed_full_year_budget_wan_yuan,
        coalesce(
            full_year_budget_wan_yuan,
            initial_budget_wan_yuan + coalesce(adjustment_wan_yuan, 0)
        ) as budget_basis_wan_yuan,
        case
            when full_year_budget_wan_yuan is not null then 'full_year_budget'
            when initial_budget_wan_yuan is not null and adjustment_wan_yuan is not null
                then 'initial_plus_adjustment'
            when initial_budget_wan_yuan is not null then 'initial_budget'
        end as budget_basis
    from reconciled

),

derived as (

    select
        *,
        actual_wan_yuan / nullif(budget_basis_wan_yuan, 0) * 100 as computed_execution_rate_pct,
        budget_basis_wan_yuan - actual_wan_yuan as computed_balance_wan_yuan,
        actual_wan_yuan / nullif(initial_budget_wan_yuan, 0) * 100 as rate_on_initial_pct
    from budget_basis

),

-- A row that only restates its total (其中：当年财政拨款 with the same figures as 年度资金总额,
-- the one sub-item of a group): the total's findings already cover it.
restatements as (

    select child.line_id
    from reconciled as child
    inner join reconciled as parent
        on child.parent_line_id = parent.line_id
    where coalesce(child.actual_wan_yuan, child.full_year_budget_wan_yuan, child.initial_budget_wan_yuan) is not null
        and (child.initial_budget_wan_yuan is null or not (round(abs(child.initial_budget_wan_yuan - parent.initial_budget_wan_yuan), 6) > 0.01))
        and (child.adjustment_wan_yuan is null or not (round(abs(child.adjustment_wan_yuan - parent.adjustment_wan_yuan), 6) > 0.01))
        and (child.full_year_budget_wan_yuan is null or not (round(abs(child.full_year_budget_wan_yuan - parent.full_year_budget_wan_yuan), 6) > 0.01))
        and (child.actual_wan_yuan is null or not (round(abs(child.actual_wan_yuan - parent.actual_wan_yuan), 6) > 0.01))
        and (child.balance_wan_yuan is null or not (round(abs(child.balance_wan_yuan - parent.balance_wan_yuan), 6) > 0.01))
        and (
            child.stated_execution_rate_pct is null
            or not (round(abs(child.stated_execution_rate_pct - parent.stated_execution_rate_pct), 6) > 0.05)
        )

),

final as (

    select
        -- keys
        derived.line_id,
        report_id,
        line_no,
        derived.parent_line_id,

        -- what the line is
        line_name,
        name_key,
        -- How the line is named in a finding: the form first when there is one, and what it
        -- sums up (else which mention it is) when two lines of a report share a name (two tables'
        -- 合计, 整体支出 sentences about different budgets).
        case
            when form is not null and form <> line_name then form || ' '
            else ''
        end || line_name || case
            when count(*) over (partition by report_id, form, line_name) > 1
                then '（' || coalesce(
                    child_names,
                    '第 ' || row_number() over (partition by report_id, form, line_name order by line_no) || ' 处'
                ) || '）'
            else ''
        end as subject_name,
        line_class,
        rate_label,
        is_control_rate,
        is_total,
        is_generic_total,
        restatements.line_id is not null as is_restatement,
        form,
        group_id,
        origin,

        -- stated facts
        initial_budget_wan_yuan,
        adjustment_wan_yuan,
        full_year_budget_wan_yuan,
        actual_wan_yuan,
        balance_wan_yuan,
        stated_execution_rate_pct,

        -- derived facts
        budget_basis,
        budget_basis_wan_yuan,
        computed_full_year_budget_wan_yuan,
        full_year_budget_wan_yuan - computed_full_year_budget_wan_yuan as full_year_budget_diff_wan_yuan,
        computed_balance_wan_yuan,
        balance_wan_yuan - computed_balance_wan_yuan as balance_diff_wan_yuan,
        computed_execution_rate_pct,
        stated_execution_rate_pct - computed_execution_rate_pct as execution_rate_diff_pp,
        -- The rate the checks use: the stated one when it agrees with the figures (so messages
        -- quote the report: 84.68%, not 84.675%), else the computed one, else the stated one.
        case
            when stated_execution_rate_pct is not null
                and computed_execution_rate_pct is not null
                and not (round(abs(stated_execution_rate_pct - computed_execution_rate_pct), 6) > 0.05)
                then stated_execution_rate_pct
            else coalesce(computed_execution_rate_pct, stated_execution_rate_pct)
        end as effective_execution_rate_pct,
        rate_on_initial_pct,

        -- what it sums up
        child_count,
        child_names,

        -- reconciliation
        mention_count,
        initial_budget_values,
        adjustment_values,
        full_year_budget_values,
        actual_values,
        balance_values,
        stated_rate_values,
        conflicting_measures,
        has_conflict,

        -- metadata
        source_text,
        source_texts,
        source_spans
    from derived
    left join restatements
        on derived.line_id = restatements.line_id

)

select * from final
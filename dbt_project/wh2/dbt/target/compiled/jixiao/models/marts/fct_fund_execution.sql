-- Budget execution (预算执行): one row per line of a current report, each figure reconciled
-- across its table and prose mentions, with the recomputed arithmetic next to what is stated.

with

lines as (

    select * from "j"."intermediate"."int_fund_lines_derived"

),

final as (

    select
        -- keys
        line_id,
        report_id,
        parent_line_id,
        line_no,

        -- what the line is
        line_name,
        line_class,
        rate_label,
        form,
        is_total,
        origin,

        -- stated facts, 万元 and percent
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
        full_year_budget_diff_wan_yuan,
        computed_balance_wan_yuan,
        balance_diff_wan_yuan,
        computed_execution_rate_pct,
        execution_rate_diff_pp,
        effective_execution_rate_pct,
        rate_on_initial_pct,

        -- structure and reconciliation
        child_count,
        is_restatement,
        mention_count,
        has_conflict,
        conflicting_measures,

        -- metadata
        source_text
    from lines

)

select * from final
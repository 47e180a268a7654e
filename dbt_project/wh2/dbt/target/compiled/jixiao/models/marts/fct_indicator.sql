-- Performance indicators (绩效指标) of the current reports, as written and as parsed.

with

indicators as (

    select * from "j"."intermediate"."int_indicators_parsed"

),

final as (

    select
        -- keys
        indicator_id,
        report_id,
        line_no,

        -- what the indicator is
        form,
        level1,
        level2,
        level3,
        is_budget_execution_row,

        -- as written
        target_text,
        actual_text,
        note,

        -- parsed
        operator,
        is_operator_implied,
        target_value,
        actual_value,
        unit,
        is_met,

        -- score
        weight,
        score,
        score_ratio,

        -- metadata
        source_text
    from indicators

)

select * from final
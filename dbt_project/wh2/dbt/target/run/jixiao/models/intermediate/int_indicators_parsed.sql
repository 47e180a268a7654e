
  
  create view "j"."intermediate"."int_indicators_parsed__dbt_tmp" as (
    -- Indicator rows of the current reports with target and actual split into operator, number and
-- unit, so that "is the target met" is a comparison. The text is folded first (full-width
-- characters to ASCII) and the operator spellings unified: >= ≧ → ≥, <= ≦ → ≤, ═ → =.
--
-- A target with a number and no operator is read by its kind: a 成本指标 is a ceiling (≤),
-- anything else a floor (≥) — "135家" new firms means at least 135. A target without a number
-- (成效明显, ≥全省平均水平, 2022年年底以前) is qualitative and has no is_met.

with

indicators as (

    select * from "j"."staging"."stg_jixiao__indicators"

),

current_reports as (

    select report_id from "j"."intermediate"."int_reports_current"

),

folded as (

    select
        indicators.*,
        replace(replace(replace(replace(replace(replace(
            regexp_replace(
        translate(indicators.target_text, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ),
            '>=', '≥'), '<=', '≤'), '≧', '≥'), '≦', '≤'), '═', '='), '==', '='
        ) as target_folded,
        replace(replace(replace(replace(replace(replace(
            regexp_replace(
        translate(indicators.actual_text, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ),
            '>=', '≥'), '<=', '≤'), '≧', '≥'), '≦', '≤'), '═', '='), '==', '='
        ) as actual_folded
    from indicators
    inner join current_reports
        on indicators.report_id = current_reports.report_id

),

split as (

    select
        *,
        regexp_full_match(target_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$') as target_is_numeric,
        nullif(regexp_extract(target_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 1), '') as target_operator_written,
        try_cast(replace(regexp_extract(target_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 2), ',', '') as double)
            as target_value,
        nullif(regexp_extract(target_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 4), '') as target_unit,
        nullif(regexp_extract(target_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 5), '') as target_suffix,
        regexp_full_match(actual_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$') as actual_is_numeric,
        nullif(regexp_extract(actual_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 1), '') as actual_operator_written,
        try_cast(replace(regexp_extract(actual_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 2), ',', '') as double)
            as actual_value,
        nullif(regexp_extract(actual_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 4), '') as actual_unit,
        nullif(regexp_extract(actual_folded, '^(≥|≤|=|>|<)?([+-]?[0-9][0-9,]*(\.[0-9]+)?)([^0-9]{0,4}?)(及以上|以上|以内|以下)?$', 5), '') as actual_suffix,
        coalesce(level2, '') like '%成本%' or coalesce(level1, '') like '%成本%' as is_cost_indicator
    from folded

),

operators as (

    select
        *,
        case
            when not coalesce(target_is_numeric, false) then 'qualitative'
            when target_operator_written is not null then target_operator_written
            when target_suffix in ('及以上', '以上') then '≥'
            when target_suffix in ('以内', '以下') then '≤'
            when is_cost_indicator then '≤'
            else '≥'
        end as operator,
        coalesce(target_is_numeric, false)
            and target_operator_written is null
            and target_suffix is null as is_operator_implied
    from split

),

final as (

    select
        -- keys
        report_id || ':in' || line_no as indicator_id,
        report_id,
        line_no,

        -- what the indicator is
        form,
        level1,
        level2,
        level3,
        coalesce(level1, '') like '%预算执行%' or coalesce(level3, '') like '%预算执行%'
            as is_budget_execution_row,

        -- as written
        target_text,
        actual_text,
        note,

        -- parsed
        operator,
        is_operator_implied,
        case when operator <> 'qualitative' then target_value end as target_value,
        case when operator <> 'qualitative' then coalesce(target_unit, actual_unit) end as unit,
        case when actual_is_numeric then actual_value end as actual_value,
        case
            when operator = 'qualitative' or not coalesce(actual_is_numeric, false) then null
            when target_unit is not null and actual_unit is not null and target_unit <> actual_unit then null
            when operator = '≥' then actual_value >= target_value
            when operator = '≤' then actual_value <= target_value
            when operator = '>' then actual_value > target_value
            when operator = '<' then actual_value < target_value
            when operator = '=' then abs(actual_value - target_value) < 1e-9
        end as is_met,

        -- score (分值 / 得分)
        weight,
        score,
        score / nullif(weight, 0) as score_ratio,

        -- metadata
        source_start,
        source_end,
        source_text
    from operators

)

select * from final
  );

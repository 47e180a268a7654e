
  
  create view "j"."intermediate"."int_budget_lines_reconciled__dbt_tmp" as (
    -- One fact per (report, form, line): a figure stated in a table and again in prose is one
-- fact with every mention kept. Values that agree across mentions (within the tolerance) are
-- coalesced; values that disagree stay visible (*_values lists, has_conflict) and feed the
-- conflicting_figures rule. The fact's value is the table's when there is one.
--
-- A generic total (合计, 整体支出) has no name to match on: it joins a named line of the same
-- report and form when their figures agree (the 合计 of the 基本支出 breakdown table is the
-- 基本支出 line), and a 整体支出 sentence joins the table 合计 it restates. Likewise a sentence
-- naming a form's project joins that form's total row when their figures agree.

with

lines as (

    select * from "j"."intermediate"."int_budget_lines_classified"

),

anchor_candidates as (

    -- A generic total restating a named line of the same form.
    select
        generic_total.line_id,
        generic_total.report_id,
        named.base_key as anchored_key,
        named.is_generic_total as anchor_is_generic,
        named.origin as anchor_origin,
        named.line_no as anchor_line_no
    from lines as generic_total
    inner join lines as named
        on generic_total.report_id = named.report_id
        and generic_total.form is not distinct from named.form
        and generic_total.base_key <> named.base_key
        and (
        (
            case when not (round(abs(generic_total.initial_budget_wan_yuan - named.initial_budget_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(generic_total.adjustment_wan_yuan - named.adjustment_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(generic_total.full_year_budget_wan_yuan - named.full_year_budget_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(generic_total.actual_wan_yuan - named.actual_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(generic_total.balance_wan_yuan - named.balance_wan_yuan), 6) > 0.01) then 1 else 0 end
        ) >= 2
        and not coalesce((round(abs(generic_total.initial_budget_wan_yuan - named.initial_budget_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(generic_total.adjustment_wan_yuan - named.adjustment_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(generic_total.full_year_budget_wan_yuan - named.full_year_budget_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(generic_total.actual_wan_yuan - named.actual_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(generic_total.balance_wan_yuan - named.balance_wan_yuan), 6) > 0.01), false)
    )
        and (
            not named.is_generic_total
            or (generic_total.origin = 'narrative' and named.origin = 'table')
        )
    where generic_total.is_generic_total

    union all

    -- A sentence outside the forms naming a form's project (服务先进制造业高质量发展专项资金752万元，
    -- 实际拨付593.04万元) restates that form's total row (年度资金总额).
    select
        prose.line_id,
        prose.report_id,
        form_total.base_key as anchored_key,
        false as anchor_is_generic,
        form_total.origin as anchor_origin,
        form_total.line_no as anchor_line_no
    from lines as prose
    inner join lines as form_total
        on prose.report_id = form_total.report_id
        and prose.form is null
        and form_total.line_class = 'total'
        and prose.name_key = regexp_replace(regexp_replace(
        translate(form_total.form, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ), '(.)(支出|资金|预算)$', '\1')
        and (
        (
            case when not (round(abs(prose.initial_budget_wan_yuan - form_total.initial_budget_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(prose.adjustment_wan_yuan - form_total.adjustment_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(prose.full_year_budget_wan_yuan - form_total.full_year_budget_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(prose.actual_wan_yuan - form_total.actual_wan_yuan), 6) > 0.01) then 1 else 0 end +
            case when not (round(abs(prose.balance_wan_yuan - form_total.balance_wan_yuan), 6) > 0.01) then 1 else 0 end
        ) >= 2
        and not coalesce((round(abs(prose.initial_budget_wan_yuan - form_total.initial_budget_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(prose.adjustment_wan_yuan - form_total.adjustment_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(prose.full_year_budget_wan_yuan - form_total.full_year_budget_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(prose.actual_wan_yuan - form_total.actual_wan_yuan), 6) > 0.01), false)
        and not coalesce((round(abs(prose.balance_wan_yuan - form_total.balance_wan_yuan), 6) > 0.01), false)
    )

),

best_anchors as (

    select line_id, report_id, anchored_key
    from anchor_candidates
    qualify row_number() over (
        partition by line_id
        order by anchor_is_generic, anchor_origin <> 'table', anchor_line_no
    ) = 1

),

-- One more hop: a 整体支出 sentence anchored to a table 合计 that is itself anchored to a named
-- line joins that line. Named lines never anchor, so two hops are the most there can be.
resolved_anchors as (

    select
        best_anchors.line_id,
        coalesce(min(next_hop.anchored_key), best_anchors.anchored_key) as anchored_key
    from best_anchors
    left join lines as anchor_line
        on best_anchors.report_id = anchor_line.report_id
        and best_anchors.anchored_key = anchor_line.base_key
    left join best_anchors as next_hop
        on anchor_line.line_id = next_hop.line_id
    group by best_anchors.line_id, best_anchors.anchored_key

),

mentions as (

    select
        lines.*,
        coalesce(resolved_anchors.anchored_key, lines.base_key) as fact_key,
        -- Which mention speaks for the fact: a named line before a generic total, a table row
        -- before a sentence, then document order.
        row_number() over (
            partition by lines.report_id, coalesce(resolved_anchors.anchored_key, lines.base_key)
            order by lines.is_generic_total, lines.origin <> 'table', lines.line_no
        ) as mention_rank
    from lines
    left join resolved_anchors
        on lines.line_id = resolved_anchors.line_id

),

facts as (

    select
        report_id,
        fact_key,
        count(*) as mention_count,
        first(initial_budget_wan_yuan order by mention_rank) filter (where initial_budget_wan_yuan is not null) as initial_budget_wan_yuan,
        list_sort(list_distinct(list(initial_budget_wan_yuan) filter (where initial_budget_wan_yuan is not null))) as initial_budget_values,
        (round(abs(max(initial_budget_wan_yuan) - min(initial_budget_wan_yuan)), 6) > 0.01) as initial_budget_wan_yuan_conflicts,
        first(adjustment_wan_yuan order by mention_rank) filter (where adjustment_wan_yuan is not null) as adjustment_wan_yuan,
        list_sort(list_distinct(list(adjustment_wan_yuan) filter (where adjustment_wan_yuan is not null))) as adjustment_values,
        (round(abs(max(adjustment_wan_yuan) - min(adjustment_wan_yuan)), 6) > 0.01) as adjustment_wan_yuan_conflicts,
        first(full_year_budget_wan_yuan order by mention_rank) filter (where full_year_budget_wan_yuan is not null) as full_year_budget_wan_yuan,
        list_sort(list_distinct(list(full_year_budget_wan_yuan) filter (where full_year_budget_wan_yuan is not null))) as full_year_budget_values,
        (round(abs(max(full_year_budget_wan_yuan) - min(full_year_budget_wan_yuan)), 6) > 0.01) as full_year_budget_wan_yuan_conflicts,
        first(actual_wan_yuan order by mention_rank) filter (where actual_wan_yuan is not null) as actual_wan_yuan,
        list_sort(list_distinct(list(actual_wan_yuan) filter (where actual_wan_yuan is not null))) as actual_values,
        (round(abs(max(actual_wan_yuan) - min(actual_wan_yuan)), 6) > 0.01) as actual_wan_yuan_conflicts,
        first(balance_wan_yuan order by mention_rank) filter (where balance_wan_yuan is not null) as balance_wan_yuan,
        list_sort(list_distinct(list(balance_wan_yuan) filter (where balance_wan_yuan is not null))) as balance_values,
        (round(abs(max(balance_wan_yuan) - min(balance_wan_yuan)), 6) > 0.01) as balance_wan_yuan_conflicts,
        first(stated_execution_rate_pct order by mention_rank) filter (where stated_execution_rate_pct is not null) as stated_execution_rate_pct,
        list_sort(list_distinct(list(stated_execution_rate_pct) filter (where stated_execution_rate_pct is not null))) as stated_rate_values,
        (round(abs(max(stated_execution_rate_pct) - min(stated_execution_rate_pct)), 6) > 0.05) as stated_execution_rate_pct_conflicts,
        first(rate_label order by mention_rank) filter (where rate_label is not null) as rate_label,
        list(source_text order by mention_rank) as source_texts,
        list(
            {'line_id': line_id, 'origin': origin, 'start': source_start, 'end': source_end}
            order by mention_rank
        ) as source_spans
    from mentions
    group by report_id, fact_key

),

representatives as (

    select * from mentions where mention_rank = 1

),

-- The representative's total row, expressed as the fact that row belongs to.
parent_facts as (

    select
        representatives.line_id,
        parent_fact.line_id as parent_line_id
    from representatives
    inner join mentions as parent_mention
        on representatives.parent_line_id = parent_mention.line_id
    inner join representatives as parent_fact
        on parent_mention.report_id = parent_fact.report_id
        and parent_mention.fact_key = parent_fact.fact_key

),

-- What each fact sums up, through any of its mentions: the 基本支出 fact has 人员经费 and 公用经费
-- as rows because its breakdown table's 合计 is one of its mentions.
fact_children as (

    select distinct
        parent_fact.line_id as parent_line_id,
        child_fact.line_id,
        child_fact.line_name,
        child_fact.line_no
    from mentions as child
    inner join mentions as parent_mention
        on child.parent_line_id = parent_mention.line_id
    inner join representatives as parent_fact
        on parent_mention.report_id = parent_fact.report_id
        and parent_mention.fact_key = parent_fact.fact_key
    inner join representatives as child_fact
        on child.report_id = child_fact.report_id
        and child.fact_key = child_fact.fact_key
    where child_fact.line_id <> parent_fact.line_id

),

child_summaries as (

    select
        parent_line_id,
        count(*) as child_count,
        case
            when count(*) > 3
                then string_agg(line_name, '、' order by line_no) filter (where child_rank <= 3)
                    || '等 ' || count(*) || ' 项'
            else string_agg(line_name, '、' order by line_no)
        end as child_names
    from (
        select
            *,
            row_number() over (partition by parent_line_id order by line_no) as child_rank
        from fact_children
    )
    group by parent_line_id

),

final as (

    select
        -- keys
        representatives.line_id,
        representatives.report_id,
        representatives.line_no,
        parent_facts.parent_line_id,
        facts.fact_key,

        -- what the line is
        representatives.line_name,
        representatives.name_key,
        representatives.line_class,
        facts.rate_label,
        coalesce(facts.rate_label like '%控制率%', false) as is_control_rate,
        representatives.is_total,
        representatives.is_generic_total,
        representatives.form,
        representatives.group_id,
        representatives.origin,

        -- facts
        facts.initial_budget_wan_yuan,
        facts.adjustment_wan_yuan,
        facts.full_year_budget_wan_yuan,
        facts.actual_wan_yuan,
        facts.balance_wan_yuan,
        facts.stated_execution_rate_pct,

        -- what it sums up
        coalesce(child_summaries.child_count, 0) as child_count,
        child_summaries.child_names,

        -- reconciliation
        facts.mention_count,
        facts.initial_budget_values,
        facts.adjustment_values,
        facts.full_year_budget_values,
        facts.actual_values,
        facts.balance_values,
        facts.stated_rate_values,
        list_filter(
            [
                case when facts.initial_budget_wan_yuan_conflicts then 'initial_budget_wan_yuan' end,
                case when facts.adjustment_wan_yuan_conflicts then 'adjustment_wan_yuan' end,
                case when facts.full_year_budget_wan_yuan_conflicts then 'full_year_budget_wan_yuan' end,
                case when facts.actual_wan_yuan_conflicts then 'actual_wan_yuan' end,
                case when facts.balance_wan_yuan_conflicts then 'balance_wan_yuan' end,
                case when facts.stated_execution_rate_pct_conflicts then 'stated_execution_rate_pct' end
            ],
            lambda measure: measure is not null
        ) as conflicting_measures,
        (
            coalesce(facts.initial_budget_wan_yuan_conflicts, false) or
            coalesce(facts.adjustment_wan_yuan_conflicts, false) or
            coalesce(facts.full_year_budget_wan_yuan_conflicts, false) or
            coalesce(facts.actual_wan_yuan_conflicts, false) or
            coalesce(facts.balance_wan_yuan_conflicts, false) or
            coalesce(facts.stated_execution_rate_pct_conflicts, false)
        ) as has_conflict,

        -- metadata
        representatives.source_text,
        facts.source_texts,
        facts.source_spans
    from facts
    inner join representatives
        on facts.report_id = representatives.report_id
        and facts.fact_key = representatives.fact_key
    left join parent_facts
        on representatives.line_id = parent_facts.line_id
    left join child_summaries
        on representatives.line_id = child_summaries.parent_line_id

)

select * from final
  );

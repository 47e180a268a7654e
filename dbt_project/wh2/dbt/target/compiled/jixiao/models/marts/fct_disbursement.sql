-- Spending items (支出明细): what the money of a current report went to. Total rows are left
-- out so that sums over this table are not doubled; they are checked in int_fund_totals_checked.

with

disbursements as (

    select * from "j"."staging"."stg_jixiao__disbursements"

),

current_reports as (

    select report_id from "j"."intermediate"."int_reports_current"

),

final as (

    select
        -- keys
        disbursements.report_id || ':db' || disbursements.line_no as item_id,
        disbursements.report_id,
        case
            when disbursements.parent_line_no is not null
                then disbursements.report_id || ':db' || disbursements.parent_line_no
        end as parent_item_id,

        -- what the item is
        disbursements.item_name,
        disbursements.form,
        disbursements.origin,

        -- facts, 万元
        disbursements.budget_wan_yuan,
        disbursements.amount_wan_yuan,
        disbursements.purpose,

        -- metadata
        disbursements.source_text
    from disbursements
    inner join current_reports
        on disbursements.report_id = current_reports.report_id
    where not coalesce(disbursements.is_total, false)

)

select * from final
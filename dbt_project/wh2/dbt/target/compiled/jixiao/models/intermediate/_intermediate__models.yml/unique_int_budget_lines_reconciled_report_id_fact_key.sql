
    
    

select
    report_id || '|' || fact_key as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_budget_lines_reconciled"
where report_id || '|' || fact_key is not null
group by report_id || '|' || fact_key
having count(*) > 1



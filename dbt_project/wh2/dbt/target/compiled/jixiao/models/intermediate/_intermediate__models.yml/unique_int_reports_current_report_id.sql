
    
    

select
    report_id as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_reports_current"
where report_id is not null
group by report_id
having count(*) > 1



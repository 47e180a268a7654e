
    
    

select
    line_id as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_fund_lines_derived"
where line_id is not null
group by line_id
having count(*) > 1



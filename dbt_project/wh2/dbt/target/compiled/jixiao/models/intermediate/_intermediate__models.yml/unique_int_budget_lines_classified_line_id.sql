
    
    

select
    line_id as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_budget_lines_classified"
where line_id is not null
group by line_id
having count(*) > 1



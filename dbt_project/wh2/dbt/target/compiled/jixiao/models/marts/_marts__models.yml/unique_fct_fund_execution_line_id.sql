
    
    

select
    line_id as unique_field,
    count(*) as n_records

from "j"."marts"."fct_fund_execution"
where line_id is not null
group by line_id
having count(*) > 1



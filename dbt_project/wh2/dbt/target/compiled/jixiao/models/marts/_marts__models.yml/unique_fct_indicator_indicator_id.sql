
    
    

select
    indicator_id as unique_field,
    count(*) as n_records

from "j"."marts"."fct_indicator"
where indicator_id is not null
group by indicator_id
having count(*) > 1




    
    

select
    department || '|' || coalesce(region, '') as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_departments_normalized"
where department || '|' || coalesce(region, '') is not null
group by department || '|' || coalesce(region, '')
having count(*) > 1



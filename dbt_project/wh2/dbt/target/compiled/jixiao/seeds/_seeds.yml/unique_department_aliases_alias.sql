
    
    

select
    alias as unique_field,
    count(*) as n_records

from "j"."reference"."department_aliases"
where alias is not null
group by alias
having count(*) > 1



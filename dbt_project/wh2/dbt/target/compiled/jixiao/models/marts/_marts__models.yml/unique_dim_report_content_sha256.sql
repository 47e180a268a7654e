
    
    

select
    content_sha256 as unique_field,
    count(*) as n_records

from "j"."marts"."dim_report"
where content_sha256 is not null
group by content_sha256
having count(*) > 1



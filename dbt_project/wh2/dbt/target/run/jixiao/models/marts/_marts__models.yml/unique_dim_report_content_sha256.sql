
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    content_sha256 as unique_field,
    count(*) as n_records

from "j"."marts"."dim_report"
where content_sha256 is not null
group by content_sha256
having count(*) > 1



  
  
      
    ) dbt_internal_test
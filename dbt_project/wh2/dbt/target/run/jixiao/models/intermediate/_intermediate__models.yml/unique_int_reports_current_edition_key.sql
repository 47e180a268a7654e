
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    edition_key as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_reports_current"
where edition_key is not null
group by edition_key
having count(*) > 1



  
  
      
    ) dbt_internal_test
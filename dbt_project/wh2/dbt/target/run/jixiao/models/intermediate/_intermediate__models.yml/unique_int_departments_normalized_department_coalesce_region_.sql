
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    department || '|' || coalesce(region, '') as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_departments_normalized"
where department || '|' || coalesce(region, '') is not null
group by department || '|' || coalesce(region, '')
having count(*) > 1



  
  
      
    ) dbt_internal_test
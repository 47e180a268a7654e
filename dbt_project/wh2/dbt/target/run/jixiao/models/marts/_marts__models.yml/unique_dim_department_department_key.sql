
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    department_key as unique_field,
    count(*) as n_records

from "j"."marts"."dim_department"
where department_key is not null
group by department_key
having count(*) > 1



  
  
      
    ) dbt_internal_test
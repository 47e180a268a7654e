
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    finding_id as unique_field,
    count(*) as n_records

from "j"."marts"."fct_anomaly"
where finding_id is not null
group by finding_id
having count(*) > 1



  
  
      
    ) dbt_internal_test
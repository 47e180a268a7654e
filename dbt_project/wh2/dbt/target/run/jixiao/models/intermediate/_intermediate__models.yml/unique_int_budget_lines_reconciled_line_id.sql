
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    line_id as unique_field,
    count(*) as n_records

from "j"."intermediate"."int_budget_lines_reconciled"
where line_id is not null
group by line_id
having count(*) > 1



  
  
      
    ) dbt_internal_test
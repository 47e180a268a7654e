{#
    A column that a raw table may not have: the column cast to its type when the relation has it,
    else a typed null. raw.budget_lines gained rate_label (预算执行率 / 执行率 / 控制率) after the
    first warehouses were created, and `create table if not exists` does not add columns to an
    existing table; staging reads both shapes.
#}
{% macro optional_column(relation, column_name, data_type) -%}
    {%- set present = false -%}
    {%- if execute -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- set present = column_name | lower in names -%}
    {%- endif -%}
    {%- if present -%}
        cast({{ column_name }} as {{ data_type }})
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{#
    A column that the raw table may not have yet: the column cast to its type when the relation
    has it, else a typed null. The parser emits rate_label (预算执行率 / 执行率 / 控制率) but
    raw.budget_lines does not store it today; staging picks it up as soon as it is landed.
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

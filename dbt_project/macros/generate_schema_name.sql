{#
    Use a folder's custom schema verbatim (staging, intermediate, marts, reference) instead of
    dbt's default <target_schema>_<custom>: analysts, Great Expectations and the alerts query
    marts.fct_anomaly, whatever the target is called.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

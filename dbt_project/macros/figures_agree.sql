{#
    Two budget-line mentions state the same figures: at least two amounts that both state agree
    within the tolerance, and none that both state disagree. Used to recognise a 合计 row or a
    整体支出 sentence as a restatement of another line (names cannot tell).
#}
{% macro figures_agree(left, right, tolerance) -%}
    {%- set amounts = ['initial_budget_wan_yuan', 'adjustment_wan_yuan', 'full_year_budget_wan_yuan', 'actual_wan_yuan', 'balance_wan_yuan'] -%}
    (
        (
            {%- for column in amounts %}
            case when not {{ exceeds_tolerance(left ~ '.' ~ column ~ ' - ' ~ right ~ '.' ~ column, tolerance) }} then 1 else 0 end{{ " +" if not loop.last }}
            {%- endfor %}
        ) >= 2
        {%- for column in amounts %}
        and not coalesce({{ exceeds_tolerance(left ~ '.' ~ column ~ ' - ' ~ right ~ '.' ~ column, tolerance) }}, false)
        {%- endfor %}
    )
{%- endmacro %}

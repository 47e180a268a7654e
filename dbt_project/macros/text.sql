{#
    fold_text: the comparable form of a name or an indicator value. The parser already
    NFKC-normalises, so this is a safety net for rows landed by other means: full-width digits
    and operators folded to ASCII, whitespace and quotes removed.
#}
{% macro fold_text(expression) -%}
    regexp_replace(
        translate({{ expression }}, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    )
{%- endmacro %}


{# An amount in 万元 as a finance officer writes it: 1,421.02 #}
{% macro format_amount(expression) -%}
    format('{:,.2f}', {{ expression }})
{%- endmacro %}


{# A rate in percent with two decimals, without the % sign: 23.68 #}
{% macro format_pct(expression) -%}
    format('{:.2f}', {{ expression }})
{%- endmacro %}


{# A score or weight without trailing zeros: 10, 4.5 #}
{% macro format_number(expression) -%}
    regexp_replace(printf('%.2f', {{ expression }}), '\.?0+$', '')
{%- endmacro %}


{#
    True when a difference is beyond a tolerance. Rounded to 6 decimals first so that binary
    floating point does not turn a difference of exactly the tolerance (84.62 − 84.57) into a
    finding: the rules fire only when the difference is strictly greater.
#}
{% macro exceeds_tolerance(difference, tolerance) -%}
    (round(abs({{ difference }}), 6) > {{ tolerance }})
{%- endmacro %}


{#
    A threshold as it reads in a message: 60 for 60 or 60.0 (the flow passes floats), 92.5 as is.
#}
{% macro format_threshold(value) -%}
    {%- if value | float == value | int -%}{{ value | int }}{%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}

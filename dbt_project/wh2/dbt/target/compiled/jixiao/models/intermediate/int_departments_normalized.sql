-- One row per department spelling (as written, with its stated region) and the key that stays
-- the same across years: 湖南省长沙市工信局, 长沙市工业和信息化局 and 长沙市 工业和信息化局 share one.
-- Only identity-free differences are removed, so two cities' 工业和信息化局 never merge:
--   1. whitespace, quotes and full-width characters;
--   2. a leading 中国 / 中华人民共和国;
--   3. a leading province (…省) only when a city-level name (…市 / …州 / …地区 / …盟) follows,
--      since that name then carries the identity;
--   4. a name without any region prefix gets its stated region in front (工业和信息化局 + 长沙市);
--   5. a common abbreviation at the end of the name is spelled out (seeds/department_aliases.csv).

with

report_metadata as (

    select * from "j"."staging"."stg_jixiao__report_metadata"

),

department_aliases as (

    select * from "j"."reference"."department_aliases"

),

spellings as (

    select distinct
        department,
        region
    from report_metadata
    where department is not null

),

cleaned as (

    select
        department,
        region,
        regexp_replace(
            regexp_replace(
        translate(department, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ), '^(中华人民共和国|中国)(.+)$', '\2'
        ) as department_cleaned,
        regexp_replace(
            regexp_replace(
        translate(region, '％（）＋，－．０１２３４５６７８９：＜＝＞　', '%()+,-.0123456789:<=> '),
        '[\s"“”‘’''「」『』]',
        '',
        'g'
    ), '^(中华人民共和国|中国)(.+)$', '\2'
        ) as region_cleaned
    from spellings

),

province_stripped as (

    select
        department,
        region,
        department_cleaned,
        regexp_replace(
            department_cleaned,
            '^[^省市]{2,3}省([^省市区县]{1,9}?(市|自治州|州|地区|盟).+)$',
            '\1'
        ) as department_local,
        regexp_replace(
            region_cleaned,
            '^[^省市]{2,3}省([^省市区县]{1,9}?(市|自治州|州|地区|盟).*)$',
            '\1'
        ) as region_local
    from cleaned

),

qualified as (

    select
        department,
        region,
        department_cleaned,
        case
            when regexp_matches(
                department_local, '^[^省市区县州]{1,9}?(省|市|自治区|自治州|州|地区|盟|县|区|旗)'
            )
                then department_local
            when nullif(region_local, '') is not null
                then region_local || department_local
            else department_local
        end as department_qualified
    from province_stripped

),

aliased as (

    select
        qualified.department,
        qualified.region,
        qualified.department_cleaned,
        qualified.department_qualified,
        department_aliases.alias,
        department_aliases.canonical,
        row_number() over (
            partition by qualified.department, qualified.region
            order by length(department_aliases.alias) desc nulls last
        ) as alias_rank
    from qualified
    left join department_aliases
        on ends_with(qualified.department_qualified, department_aliases.alias)

),

final as (

    select
        department,
        region,
        department_cleaned,
        case
            when alias is null then department_qualified
            else left(department_qualified, length(department_qualified) - length(alias)) || canonical
        end as department_key
    from aliased
    where alias_rank = 1

)

select * from final
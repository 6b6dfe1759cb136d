-- Every id each registration declares (its own id, its secondary ids), read as a registry id, and
-- whether it links the registration to others: why registrations share a trial_key.
-- Precision first. Only ids of a registry's own format link (`NCT` + 8 digits, EudraCT numbers, CTIS,
-- ISRCTN, ChiCTR, ANZCTR, DRKS, JPRN/UMIN/jRCT, CTRI, IRCT, KCT, TCTR, NTR, PACTR, REBEC, WHO UTN ...):
-- sponsor protocol codes, grant numbers and 'N/A' never do. An id that registrations with different own
-- ids in the same registry declare (two NCT trials citing one EudraCT number) links nothing; and if
-- the links would still put two different own ids of one registry in one trial, that trial keeps
-- only the links of own ids (the EU register's country records of one EudraCT number, say).
with recursive declared as (
    select registry, trial_id, 'own' as declared_as, trial_id as value from registry_trials
    union all
    select registry, trial_id, 'secondary', unnest(secondary_ids) from registry_trials
),
read as (
    select *,
        upper(regexp_replace(trim(value), '\s+', '', 'g')) as compact
    from declared
),
identified as (
    select registry, trial_id, declared_as, value,
        case
            when declared_as = 'own' and registry = 'EUCTR'
                then 'EUDRACT:' || regexp_extract(compact, '(\d{4}-\d{6}-\d{2})', 1)
            when regexp_matches(compact, '\d{4}-5\d{5}-\d{2}-\d{2}')
                then 'CTIS:' || regexp_extract(compact, '(\d{4}-5\d{5}-\d{2}-\d{2})', 1)
            when regexp_matches(compact, 'NCT\d{8}') then regexp_extract(compact, '(NCT\d{8})', 1)
            when regexp_matches(compact, '(^|[^0-9-])(19|20)\d{2}-[0-4]\d{5}-\d{2}($|[^0-9])')
                then 'EUDRACT:' || regexp_extract(compact, '((19|20)\d{2}-[0-4]\d{5}-\d{2})', 1)
            when regexp_matches(compact, 'ISRCTN\d{8}') then regexp_extract(compact, '(ISRCTN\d{8})', 1)
            when regexp_matches(compact, 'U1111-\d{4}-\d{4}') then 'UTN:' || regexp_extract(compact, '(U1111-\d{4}-\d{4})', 1)
            when regexp_matches(compact, 'CHICTR-?[A-Z]{0,4}-?\d{8,10}')
                then regexp_extract(compact, '(CHICTR-?[A-Z]{0,4}-?\d{8,10})', 1)
            when regexp_matches(compact, 'ACTRN\d{14}') then regexp_extract(compact, '(ACTRN\d{14})', 1)
            when regexp_matches(compact, 'DRKS\d{8}') then regexp_extract(compact, '(DRKS\d{8})', 1)
            when regexp_matches(compact, 'UMIN\d{9}') then regexp_extract(compact, '(UMIN\d{9})', 1)
            when regexp_matches(compact, 'JRCT[A-Z]?\d{9,10}') then regexp_extract(compact, '(JRCT[A-Z]?\d{9,10})', 1)
            when regexp_matches(compact, 'JAPICCTI-?\d{6}') then regexp_extract(compact, '(JAPICCTI-?\d{6})', 1)
            when regexp_matches(compact, 'CTRI/\d{4}/\d{2,3}/\d{6}') then regexp_extract(compact, '(CTRI/\d{4}/\d{2,3}/\d{6})', 1)
            when regexp_matches(compact, 'IRCT\d{8,}N\d+') then regexp_extract(compact, '(IRCT\d{8,}N\d+)', 1)
            when regexp_matches(compact, 'KCT\d{7}') then regexp_extract(compact, '(KCT\d{7})', 1)
            when regexp_matches(compact, 'TCTR\d{11}') then regexp_extract(compact, '(TCTR\d{11})', 1)
            when regexp_matches(compact, '^NTR\d{3,5}$|^NL\d{4,5}$') then compact
            when regexp_matches(compact, 'PACTR\d{15}') then regexp_extract(compact, '(PACTR\d{15})', 1)
            when regexp_matches(compact, 'RBR-\w{4,8}') then regexp_extract(compact, '(RBR-\w{4,8})', 1)
            when declared_as = 'own' then registry || ':' || compact
        end as identifier
    from read
),
own as (
    select registry, trial_id, identifier as own_id from identified where declared_as = 'own'
),
claims as (
    select i.*, o.own_id from identified as i join own as o using (registry, trial_id)
    where i.identifier is not null
),
ambiguous as (
    select identifier, string_agg(distinct own_id, ', ' order by own_id) as claimed_by
    from claims
    group by identifier, registry
    having count(distinct own_id) > 1
),
usable as (
    select * from claims anti join ambiguous using (identifier)
),
walk(registry, trial_id, label) as (
    select registry, trial_id, own_id from own
    union
    select there.registry, there.trial_id, walk.label
    from walk
    join usable as here using (registry, trial_id)
    join usable as there on there.identifier = here.identifier
),
components as (
    select registry, trial_id, min(label) as component from walk group by all
),
conflicts as (
    -- components holding two own ids of one registry: their secondary links are not trusted
    select c.component, string_agg(distinct o.own_id, ', ' order by o.own_id) as own_ids
    from components as c join own as o using (registry, trial_id)
    group by c.component, o.registry
    having count(distinct o.own_id) > 1
),
keyed as (
    select c.registry, c.trial_id, o.own_id,
        case when conflicts.component is null
             then min(o.own_id) over (partition by c.component)
             else o.own_id end as trial_key,
        conflicts.own_ids as conflicting_ids
    from components as c
    join own as o using (registry, trial_id)
    left join (select distinct component, first(own_ids) over (partition by component) as own_ids from conflicts)
        as conflicts using (component)
)
select
    k.trial_key, i.registry, i.trial_id, i.declared_as, i.value as declared_value, i.identifier,
    case
        when i.identifier is null then false
        when a.identifier is not null then false
        when k.conflicting_ids is not null and i.declared_as = 'secondary' then false
        else true
    end as links,
    case
        when i.identifier is null then 'not an id of a known registry'
        when a.identifier is not null then 'ambiguous: declared by ' || a.claimed_by
        when k.conflicting_ids is not null and i.declared_as = 'secondary'
            then 'not followed: it would merge ' || k.conflicting_ids
        when i.declared_as = 'own' then 'own id'
        else 'secondary id'
    end as reason
from identified as i
join keyed as k using (registry, trial_id)
left join (select distinct identifier, claimed_by from ambiguous) as a using (identifier)

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
-- One pass of RE2 finds a registry id in a value (the first, leftmost); its shape says which kind.
found as (
    select *,
        case when declared_as = 'secondary' or registry not in ('CTGOV', 'EUCTR') then
        regexp_extract(upper(regexp_replace(value, '\s+', '', 'g')),
            '(\d{4}-5\d{5}-\d{2}-\d{2}|NCT\d{8}|(?:19|20)\d{2}-[0-4]\d{5}-\d{2}|ISRCTN\d{8}|U1111-\d{4}-\d{4}'
            || '|CHICTR-?[A-Z]{0,4}-?\d{8,10}|ACTRN\d{14}|DRKS\d{8}|UMIN\d{9}|JRCT[A-Z]?\d{9,10}|JAPICCTI-?\d{6}'
            || '|CTRI/\d{4}/\d{2,3}/\d{6}|IRCT\d{8,}N\d+|KCT\d{7}|TCTR\d{11}|^NTR\d{3,5}$|^NL\d{4,5}$'
            || '|PACTR\d{15}|RBR-\w{4,8})', 1) end as found
    from declared
),
identified as (
    select registry, trial_id, declared_as, value,
        case
            when declared_as = 'own' and registry = 'CTGOV' then trial_id
            when declared_as = 'own' and registry = 'EUCTR' then 'EUDRACT:' || left(trial_id, 14)
            when found = '' and declared_as = 'own' then registry || ':' || upper(trim(value))
            when found = '' then null
            when regexp_full_match(found, '\d{4}-5\d{5}-\d{2}-\d{2}') then 'CTIS:' || found
            when regexp_full_match(found, '\d{4}-\d{6}-\d{2}') then 'EUDRACT:' || found
            when found like 'U1111-%' then 'UTN:' || found
            else found
        end as identifier
    from found
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
usable as (  -- a registration's own id always links it; a secondary id only when unambiguous
    select * from claims where declared_as = 'own' or identifier not in (select identifier from ambiguous)
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
        when a.identifier is not null and i.declared_as = 'secondary' then false
        when k.conflicting_ids is not null and i.declared_as = 'secondary' then false
        else true
    end as links,
    case
        when i.identifier is null then 'not an id of a known registry'
        when a.identifier is not null and i.declared_as = 'secondary' then 'ambiguous: declared by ' || a.claimed_by
        when k.conflicting_ids is not null and i.declared_as = 'secondary'
            then 'not followed: it would merge ' || k.conflicting_ids
        when i.declared_as = 'own' then 'own id'
        else 'secondary id'
    end as reason
from identified as i
join keyed as k using (registry, trial_id)
left join (select distinct identifier, claimed_by from ambiguous) as a using (identifier)

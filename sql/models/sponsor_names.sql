-- One row per sponsor name as the registry spells it, with the canonical name of its organization.
-- Spellings merge when they differ only in case, accents, punctuation, `&`/`and`, a note after the
-- name (", a Sanofi Company", " (prior sponsor, Abbott)", ", now a wholly owned subsidiary of ..."), or a
-- legal suffix (Inc., Corporation, Ltd, GmbH, S.A. ...) - the suffix only when the name's spellings
-- carry at most one legal form, since the same name under two legal forms (Corporation and GmbH) may
-- be two companies. The reviewed `sponsor_aliases` list adds what no rule can see. The canonical
-- name is the group's most used spelling.
with names as (
    select name, count(distinct nct_id) as trials
    from stg_sponsors
    where name is not null
    group by name
),
cleaned as (
    select
        n.name,
        n.trials,
        a.source as alias_source,
        coalesce(a.canonical_name, regexp_replace(n.name,
            '(,? (a|an) [^,]+ company|,? (now|is now|is) a wholly[- ]owned subsidiary of .+| \(prior sponsor[^)]*\))$',
            '', 'i')) as spelling
    from names as n
    left join sponsor_aliases as a using (name)
),
normalized as (
    select *,
        trim(regexp_replace(regexp_replace(lower(strip_accents(spelling)), '&', ' and ', 'g'),
                            '[^a-z0-9]+', ' ', 'g')) as words
    from cleaned
),
split as (
    select *,
        regexp_extract(words, '^(.*?)((?: (?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|l l c|'
                              'lp|l p|llp|plc|gmbh|ag|kg|kgaa|sa|s a|sas|s a s|srl|s r l|spa|s p a|bv|b v|nv|n v|'
                              'kk|k k|ab|as|a s|oy|pty|se))*)$', ['base', 'suffix']) as parts
    from normalized
),
forms as (
    select *, parts.base as base,
        -- one spelling per legal form: Corporation is Corp, Limited is Ltd, L.L.C. is LLC ...
        trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(' ' || parts.suffix || ' ',
            ' incorporated ', ' inc '), ' corporation ', ' corp '), ' company ', ' co '), ' limited ', ' ltd '),
            ' l l c ', ' llc '), ' l p ', ' lp '), ' s a s ', ' sas '), ' s a ', ' sa '), ' s r l ', ' srl '),
            ' s p a ', ' spa ')) as legal_form
    from split
),
grouped as (
    select *,
        -- a base name under two legal forms: each form its own group, and the bare name alone
        case when count(distinct nullif(legal_form, '')) over (partition by base) <= 1 then base
             else base || ' |' || legal_form end as group_key
    from forms
),
canonical as (
    select group_key,
        arg_max(spelling, [sum_trials, (spelling <> upper(spelling))::int, length(spelling)]) as canonical_name
    from (select group_key, spelling, sum(trials) as sum_trials from grouped group by all)
    group by group_key
)
select
    g.name,
    c.canonical_name,
    g.name is distinct from c.canonical_name as is_merged,
    case when g.alias_source is not null then 'alias'
         when g.name = c.canonical_name then 'canonical'
         else 'spelling' end as merged_by,
    g.alias_source,
    g.trials
from grouped as g
join canonical as c using (group_key)

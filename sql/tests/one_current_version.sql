-- Every trial has exactly one current version, and it is the version in `trials`.
select nct_id, 'current versions: ' || count(*) filter (where is_current) as problem
from trial_versions
group by nct_id
having count(*) filter (where is_current) <> 1
union all
select nct_id, 'the current version is not the one in trials'
from trials
anti join (select nct_id, content_hash from trial_versions where is_current) using (nct_id, content_hash)

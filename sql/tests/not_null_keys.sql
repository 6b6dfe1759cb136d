-- Keys and the columns every trial has.
select 'trials' as tbl, nct_id from trials
where nct_id is null or source is null or fetched_at is null or content_hash is null
union all select 'conditions', nct_id from conditions where nct_id is null or condition is null
union all select 'sponsors', nct_id from sponsors where nct_id is null or role is null
union all select 'sites', nct_id from sites where nct_id is null
union all select 'interventions', nct_id from interventions where nct_id is null
union all select 'outcomes', nct_id from outcomes where nct_id is null or kind is null
union all select 'keywords', nct_id from keywords where nct_id is null
union all select 'secondary_ids', nct_id from secondary_ids where nct_id is null
union all select 'arm_groups', nct_id from arm_groups where nct_id is null
union all select 'condition_mesh_terms', nct_id from condition_mesh_terms where nct_id is null

-- Every child row belongs to a trial in `trials`.
with children as (
    select 'conditions' as tbl, nct_id from conditions
    union all select 'condition_mesh_terms', nct_id from condition_mesh_terms
    union all select 'interventions', nct_id from interventions
    union all select 'sponsors', nct_id from sponsors
    union all select 'sites', nct_id from sites
    union all select 'keywords', nct_id from keywords
    union all select 'secondary_ids', nct_id from secondary_ids
    union all select 'arm_groups', nct_id from arm_groups
    union all select 'outcomes', nct_id from outcomes
)
select tbl, nct_id from children anti join trials using (nct_id)

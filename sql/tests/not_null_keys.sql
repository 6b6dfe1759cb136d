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
union all select 'available_ipds', nct_id from available_ipds where nct_id is null
union all select 'browse_branches', nct_id from browse_branches where nct_id is null
union all select 'browse_conditions', nct_id from browse_conditions where nct_id is null
union all select 'browse_interventions', nct_id from browse_interventions where nct_id is null
union all select 'browse_leaves', nct_id from browse_leaves where nct_id is null
union all select 'central_contacts', nct_id from central_contacts where nct_id is null
union all select 'design_group_interventions', nct_id from design_group_interventions where nct_id is null
union all select 'facility_contacts', nct_id from facility_contacts where nct_id is null
union all select 'facility_investigators', nct_id from facility_investigators where nct_id is null
union all select 'intervention_other_names', nct_id from intervention_other_names where nct_id is null
union all select 'ipd_information_types', nct_id from ipd_information_types where nct_id is null
union all select 'links', nct_id from links where nct_id is null
union all select 'overall_officials', nct_id from overall_officials where nct_id is null
union all select 'pending_results', nct_id from pending_results where nct_id is null
union all select 'provided_documents', nct_id from provided_documents where nct_id is null
union all select 'responsible_parties', nct_id from responsible_parties where nct_id is null
union all select 'study_references', nct_id from study_references where nct_id is null
union all select 'sites', nct_id from sites where site_id is null
union all select 'result_groups', nct_id from result_groups where nct_id is null
union all select 'milestones', nct_id from milestones where nct_id is null
union all select 'drop_withdrawals', nct_id from drop_withdrawals where nct_id is null
union all select 'participant_flows', nct_id from participant_flows where nct_id is null
union all select 'baseline_counts', nct_id from baseline_counts where nct_id is null
union all select 'baseline_measurements', nct_id from baseline_measurements where nct_id is null
union all select 'result_outcomes', nct_id from result_outcomes where nct_id is null
union all select 'outcome_measurements', nct_id from outcome_measurements where nct_id is null
union all select 'outcome_counts', nct_id from outcome_counts where nct_id is null
union all select 'outcome_analyses', nct_id from outcome_analyses where nct_id is null
union all select 'reported_events', nct_id from reported_events where nct_id is null
union all select 'reported_event_totals', nct_id from reported_event_totals where nct_id is null
union all select 'result_agreements', nct_id from result_agreements where nct_id is null
union all select 'result_contacts', nct_id from result_contacts where nct_id is null

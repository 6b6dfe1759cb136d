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
    union all select 'available_ipds', nct_id from available_ipds
    union all select 'browse_branches', nct_id from browse_branches
    union all select 'browse_conditions', nct_id from browse_conditions
    union all select 'browse_interventions', nct_id from browse_interventions
    union all select 'browse_leaves', nct_id from browse_leaves
    union all select 'central_contacts', nct_id from central_contacts
    union all select 'design_group_interventions', nct_id from design_group_interventions
    union all select 'facility_contacts', nct_id from facility_contacts
    union all select 'facility_investigators', nct_id from facility_investigators
    union all select 'intervention_other_names', nct_id from intervention_other_names
    union all select 'ipd_information_types', nct_id from ipd_information_types
    union all select 'links', nct_id from links
    union all select 'overall_officials', nct_id from overall_officials
    union all select 'pending_results', nct_id from pending_results
    union all select 'provided_documents', nct_id from provided_documents
    union all select 'responsible_parties', nct_id from responsible_parties
    union all select 'study_references', nct_id from study_references
    union all select 'result_groups', nct_id from result_groups
    union all select 'milestones', nct_id from milestones
    union all select 'drop_withdrawals', nct_id from drop_withdrawals
    union all select 'participant_flows', nct_id from participant_flows
    union all select 'baseline_counts', nct_id from baseline_counts
    union all select 'baseline_measurements', nct_id from baseline_measurements
    union all select 'result_outcomes', nct_id from result_outcomes
    union all select 'outcome_measurements', nct_id from outcome_measurements
    union all select 'outcome_counts', nct_id from outcome_counts
    union all select 'outcome_analyses', nct_id from outcome_analyses
    union all select 'reported_events', nct_id from reported_events
    union all select 'reported_event_totals', nct_id from reported_event_totals
    union all select 'result_agreements', nct_id from result_agreements
    union all select 'result_contacts', nct_id from result_contacts
)
select tbl, nct_id from children anti join trials using (nct_id)

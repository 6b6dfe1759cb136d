-- One row per trial: the latest version of each registered study (by last update posted), with its
-- details (sql/documents/study_details.sql).
select
    nct_id, source, source_url, brief_title, official_title, acronym, study_type, phase, phases,
    overall_status, why_stopped, start_date, start_date_precision, primary_completion_date,
    primary_completion_date_precision, completion_date, completion_date_precision, first_posted,
    last_update_posted, enrollment, enrollment_type, allocation, intervention_model, primary_purpose,
    masking, sex, minimum_age_years, maximum_age_years, healthy_volunteers, eligibility_criteria,
    brief_summary, detailed_description, lead_sponsor, lead_sponsor_class, has_results, validation_flags,
    content_hash,
    fetched_at,
    org_study_id, org_study_id_type, org_study_id_link, organization, organization_class, nct_id_aliases,
    start_date_type, primary_completion_date_type, completion_date_type, study_first_submitted, study_first_submitted_qc, first_posted_type,
    results_first_submitted, results_first_submitted_qc, results_first_posted, results_first_posted_type, disposition_first_submitted, disposition_first_submitted_qc,
    disposition_first_posted, disposition_first_posted_type, last_update_submitted, last_update_posted_type, status_verified_date, last_known_status,
    limitations_and_caveats, has_dmc, is_fda_regulated_drug, is_fda_regulated_device, is_unapproved_device, is_ppsd,
    is_us_export, fdaaa801_violation, has_expanded_access, expanded_access_nct_id, expanded_access_status_for_nct_id, expanded_access_type_individual,
    expanded_access_type_intermediate, expanded_access_type_treatment, patient_registry, target_duration, biospec_retention, biospec_description,
    observational_model, time_perspective, intervention_model_description, masking_description, who_masked, minimum_age,
    maximum_age, std_ages, population, sampling_method, gender_based, gender_description,
    plan_to_share_ipd, plan_to_share_ipd_description, ipd_time_frame, ipd_access_criteria, ipd_url, removed_countries,
    unposted_responsible_party
from stg_trials
left join stg_study_details using (nct_id)

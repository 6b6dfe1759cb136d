-- One row per trial: the latest version of each registered study (by last update posted).
select
    nct_id, source, source_url, brief_title, official_title, acronym, study_type, phase, phases,
    overall_status, why_stopped, start_date, start_date_precision, primary_completion_date,
    primary_completion_date_precision, completion_date, completion_date_precision, first_posted,
    last_update_posted, enrollment, enrollment_type, allocation, intervention_model, primary_purpose,
    masking, sex, minimum_age_years, maximum_age_years, healthy_volunteers, eligibility_criteria,
    brief_summary, detailed_description, lead_sponsor, lead_sponsor_class, has_results, validation_flags,
    content_hash,
    fetched_at
from stg_trials

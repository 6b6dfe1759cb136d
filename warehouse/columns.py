"""What every column means: the one place the data dictionary and the warehouse's comments read.

A column is described under its table, or under "*" when it means the same wherever it appears.
Tables made by SQL files are described by the header comment of their file; the two tables the build
makes itself are described here. Vocabularies come from etl/validate.py. EXAMPLES holds
example values for columns whose values change with every run (times, run ids, local URLs).
"""

TABLES = {
    "runs": "One row per committed run (a crawl or an import): its counts, errors and manifest.",
    "vocabularies": "Every accepted value of every coded column (etl/vocab.py), one row per value.",
}

COLUMNS = {
    "*": {
        "record_id": "The fetched record this row came from: `<run_id>/<n>`, n counting the run's records.",
        "nct_id": "ClinicalTrials.gov registry number (`NCT` and 8 digits); joins every table to `trials`.",
        "source": "How the record arrived: `ctgov_api` (API v2 crawl), `ctgov_bulk` (bulk v2 JSON import), "
                  "`ctgov_xml` (legacy XML import) or `mirror_page` (mirror-site page crawl).",
        "source_url": "Where the record was fetched: the API URL of the study, or `file://...!/<entry>` for imports.",
        "fetched_at": "When the record was fetched (UTC).",
        "content_hash": "Hash of the record's content, blind to when and how it was fetched; "
                        "equal hashes mean an unchanged trial.",
        "phase": "Phase of the trial; a trial in two phases reads `PHASE1/PHASE2`; "
                 "null when the registry gives none (observational studies).",
        "overall_status": "Recruitment status of the whole trial.",
        "agency_class": "Kind of organization: NIH, other US federal (FED), industry, network, individual ...",
        "country": "Country as the registry spells it.",
        "country_code": "ISO 3166-1 alpha-2 code of the country; null when the name is not recognized.",
        "condition": "A condition or disease studied, as the sponsor wrote it.",
        "description": "Free-text description.",
        "trials": "Number of distinct trials in the group.",
        "enrollment": "Sum of the enrollment of the trials in the group.",
        "start_year": "Calendar year of the trial's start date.",
    },
    "trials": {
        "brief_title": "Short public title.",
        "validation_flags": "What validation found implausible in this record, as `check:column` "
                            "(e.g. `future_date:completion_date`, `negative:enrollment`, `unknown_value:overall_status`, "
                            "`age_range:minimum_age_years`); "
                            "the raw value is kept. Empty when all is well.",
        "official_title": "Full scientific title.",
        "acronym": "Acronym or short name of the trial, if any.",
        "study_type": "Interventional (participants assigned to interventions), observational, or expanded access.",
        "phases": "Every phase of the trial as a list, in registry order.",
        "why_stopped": "Reason given for stopping a terminated, suspended or withdrawn trial.",
        "start_date": "Actual or anticipated start date; a month-only date is the 1st (see start_date_precision).",
        "start_date_precision": "How precise start_date is: `day`, `month` or `year`.",
        "primary_completion_date": "Date the last participant was examined for the primary outcome.",
        "primary_completion_date_precision": "How precise primary_completion_date is.",
        "completion_date": "Date the last participant was examined for any outcome (study end).",
        "completion_date_precision": "How precise completion_date is.",
        "first_posted": "Date the registry first published the trial.",
        "last_update_posted": "Date the registry last published a change; the latest version wins.",
        "enrollment": "Number of participants, actual or anticipated (see enrollment_type).",
        "enrollment_type": "`ACTUAL` once enrollment is over, `ESTIMATED` before.",
        "allocation": "How participants are assigned to arms.",
        "intervention_model": "Design of the interventional study.",
        "primary_purpose": "Main reason for the trial.",
        "masking": "Who is blinded to the assignment: nobody (NONE) up to four parties (QUADRUPLE).",
        "sex": "Sex of the participants who may enroll.",
        "minimum_age_years": "Minimum age of participants in years (6 Months = 0.5); null for no limit.",
        "maximum_age_years": "Maximum age of participants in years; null for no limit.",
        "healthy_volunteers": "Whether healthy volunteers may enroll.",
        "eligibility_criteria": "Inclusion and exclusion criteria, as free text.",
        "brief_summary": "Short description of the trial for the public.",
        "detailed_description": "Long description of the protocol.",
        "lead_sponsor": "Name of the lead sponsor (also a `lead` row in `sponsors`).",
        "lead_sponsor_class": "Kind of organization of the lead sponsor.",
        "has_results": "Whether results are posted in the registry.",
    },
    "condition_mesh_terms": {
        "mesh_id": "MeSH descriptor id of the condition, as derived by the registry.",
        "mesh_term": "MeSH heading of the condition (e.g. `Breast Neoplasms`).",
    },
    "interventions": {
        "intervention_type": "Kind of intervention.",
        "name": "Name of the drug, device, procedure ... as the sponsor wrote it.",
    },
    "sponsors": {
        "name": "Name of the sponsor or collaborator.",
        "role": "`lead` for the lead sponsor, `collaborator` for the others.",
    },
    "sites": {
        "facility": "Name of the site (hospital, clinic, university ...).",
        "city": "City of the site.",
        "state": "State or region of the site.",
        "zip": "Postal code of the site.",
        "status": "Recruitment status at this site.",
        "latitude": "Latitude of the site's city (WGS 84), from the registry's geocoding.",
        "longitude": "Longitude of the site's city (WGS 84).",
    },
    "keywords": {"keyword": "A keyword the sponsor chose to describe the trial."},
    "secondary_ids": {
        "secondary_id": "Another id of the trial: a grant number, another registry's id, a sponsor's code.",
        "id_type": "What kind of id it is (`NIH`, `REGISTRY`, `OTHER` ...), when given.",
        "domain": "Who issued the id (a registry, a sponsor ...), when given.",
    },
    "arm_groups": {
        "label": "Name of the arm.",
        "arm_type": "Role of the arm in the design.",
    },
    "outcomes": {
        "kind": "`primary`, `secondary` or `other` outcome measure.",
        "measure": "What is measured.",
        "time_frame": "When it is measured.",
    },
    "quarantine": {
        "run_id": "The run that met the record.",
        "url": "Where the record came from.",
        "stage": "Where it failed: `page` (a crawled page of studies that cannot be split), `read` (a bulk "
                 "file that cannot be read: a zip member that does not inflate, fails its CRC or is encrypted), `parse` "
                 "(the parser refused it), `validate` (a value does not fit the schema).",
        "reason": "Why it was refused, in one line.",
        "payload": "The raw record as received, to replay once the parser is fixed.",
    },
    "runs": {
        "run_id": "Id of the run: its UTC start time and a random suffix; names DIR/runs/<run_id>/.",
        "source": "What ran: a spider name (`ctgov`, `pages`) or `import`.",
        "since": "Lower bound on the last update date of an incremental crawl, if any.",
        "started_at": "When the run started (UTC).",
        "finished_at": "When the run committed (UTC).",
        "fetched": "Records fetched or read.",
        "new": "Trials seen for the first time.",
        "changed": "Trials whose content changed since their latest stored version.",
        "unchanged": "Trials fetched again with the same content (not stored again).",
        "quarantined": "Records refused, kept in `quarantine`.",
        "errors": "Failures that are not one record's (a page that could not be fetched ...).",
        "manifest": "The run's whole manifest.json, with its options.",
    },
    "trial_versions": {
        "version": "1 for the first version of the trial seen, counting up.",
        "valid_from": "The version's last update posted on the registry: when it became the registry's word.",
        "valid_to": "When the next version became valid (exclusive); null for the current version.",
        "is_current": "True for the version in `trials`.",
        "first_seen_at": "When this version was first fetched (UTC).",
        "number_of_sites": "How many sites the version lists.",
        "run_id": "The run that first stored this version.",
    },
    "trial_changes": {
        "version": "The version that made the change (see `trial_versions`).",
        "changed_at": "The changing version's last update posted.",
        "field": "What changed: overall_status, enrollment, phase, start_date, primary_completion_date, "
                 "completion_date, number_of_sites or lead_sponsor.",
        "old_value": "The value before, as text.",
        "new_value": "The value after, as text.",
        "slip_days": "For dates: days the new date lies after the old (negative when it moved earlier).",
    },
    "mart_status_transitions": {
        "from_status": "Overall status before the change.",
        "to_status": "Overall status after the change.",
        "transitions": "Number of such changes.",
    },
    "mart_completion_slippage": {
        "date_field": "Which date moved: start_date, primary_completion_date or completion_date.",
        "changes": "Number of changes of that date.",
        "delays": "Changes that moved the date later.",
        "advances": "Changes that moved the date earlier.",
        "total_slip_days": "Sum of the slips, in days.",
        "mean_slip_days": "Mean slip per change, in days.",
        "median_slip_days": "Median slip per change, in days.",
        "max_slip_days": "Largest slip, in days.",
    },
    "vocabularies": {
        "vocabulary": "Name of the vocabulary (see the list below).",
        "value": "One accepted value.",
    },
    "mart_sites_by_country": {
        "country": "Country as the registry spells it (the first spelling when there are several).",
        "sites": "Number of sites in the country.",
        "recruiting_sites": "Number of those sites recruiting now.",
    },
    "mart_sponsor_portfolio": {
        "sponsor": "Name of the sponsor.",
        "role": "`lead` or `collaborator`.",
    },
    "mart_trial_sites": {
        "facility": "Name of the site.",
        "city": "City of the site.",
        "state": "State or region of the site.",
        "latitude": "Latitude of the site's city (WGS 84).",
        "longitude": "Longitude of the site's city (WGS 84).",
        "site_status": "Recruitment status at this site.",
        "lead_sponsor_class": "Kind of organization of the trial's lead sponsor.",
    },
}

EXAMPLES = {
    "record_id": "20261124T203830512041Z-3bd850/17",
    "run_id": "20261124T203830512041Z-3bd850",
    "source_url": "https://clinicaltrials.gov/api/v2/studies/NCT00151463",
    "url": "https://clinicaltrials.gov/api/v2/studies/NCT00151463",
    "fetched_at": "2026-11-24 20:38:30+00",
    "first_seen_at": "2026-11-24 20:38:30+00",
    "started_at": "2026-11-24 20:38:30+00",
    "finished_at": "2026-11-24 20:38:31+00",
    "manifest": '{"run_id": "20261124T203830512041Z-3bd850", ...}',
    "stage": "parse",
    "reason": "missing or malformed NCT id: None",
    "payload": '{"protocolSection": ...}',
    "since": "2026-11-01",
    "errors": "[]",
}


# The whole record (issue 20): the documents each run keeps and the tables sql/documents/ derives from them.
WHOLE_RECORD = {
    "*": {
        "site_id": "The site's place in the registry's list of the trial's locations, from 1; with nct_id the key "
                   "of `sites` that facility_contacts and facility_investigators name (AACT's facility_id).",
        "mesh_term": "MeSH heading (e.g. `Breast Neoplasms`).",
        "mesh_id": "MeSH descriptor id (e.g. `D001943`); null for legacy XML, which gives terms only.",
        "browse_type": "`condition` or `intervention`: which of the registry's browse modules the row is from.",
        "intervention_type": "Kind of intervention (DRUG, DEVICE, BEHAVIORAL ...).",
        "intervention_name": "Name of the intervention, as in `interventions.name`.",
        "phone": "Telephone number, as given.",
        "phone_extension": "Telephone extension, as given.",
        "email": "E-mail address, as given.",
        "url": "Web address.",
    },
    "documents": {
        "format": "`json` (the API v2 or bulk study object as fetched) or `xml` (the legacy `<clinical_study>` "
                  "document, or the one a mirror page was rebuilt into).",
        "body": "The source document itself: what `trials reparse` derives every table from again.",
    },
    "overall_officials": {
        "name": "Name of the official, with degrees as given.",
        "role": "PRINCIPAL_INVESTIGATOR, STUDY_CHAIR or STUDY_DIRECTOR.",
        "affiliation": "Organization of the official.",
    },
    "central_contacts": {
        "contact_type": "`primary` for the first contact listed, `backup` for the next.",
        "name": "Name of the contact.",
        "role": "Role of the contact (CONTACT).",
    },
    "facility_contacts": {
        "name": "Name of the contact at the site.",
        "role": "CONTACT.",
    },
    "facility_investigators": {
        "name": "Name of the investigator at the site.",
        "role": "PRINCIPAL_INVESTIGATOR, SUB_INVESTIGATOR or another investigator role.",
    },
    "responsible_parties": {
        "responsible_party_type": "SPONSOR, PRINCIPAL_INVESTIGATOR or SPONSOR_INVESTIGATOR.",
        "investigator_full_name": "Name of the responsible investigator.",
        "investigator_title": "Title of the responsible investigator.",
        "investigator_affiliation": "Organization of the responsible investigator.",
        "name_title": "Name and title of the responsible party, in the format before 2017.",
        "organization": "Organization of the responsible party, in the format before 2017.",
    },
    "design_group_interventions": {
        "arm_group_label": "The arm (`arm_groups.label`) that receives the intervention.",
    },
    "intervention_other_names": {
        "other_name": "Another name of the intervention: a brand name, a code, a synonym.",
    },
    "browse_conditions": {
        "mesh_type": "`mesh-list` for a term the registry matched to the conditions, `mesh-ancestor` for an "
                     "ancestor of one in the MeSH tree.",
    },
    "browse_interventions": {
        "mesh_type": "`mesh-list` for a term the registry matched to the interventions, `mesh-ancestor` for an "
                     "ancestor of one in the MeSH tree.",
    },
    "browse_leaves": {
        "as_found": "The words of the record the term was found as, when the registry says.",
        "relevance": "HIGH for a term matched in the record, LOW for a related one.",
    },
    "browse_branches": {
        "abbrev": "Code of the browse branch (e.g. `BC04`).",
        "name": "Name of the browse branch (e.g. `Neoplasms`).",
    },
    "study_references": {
        "pmid": "PubMed id of the publication, when it has one.",
        "reference_type": "BACKGROUND, RESULT (reports the trial's results) or DERIVED (found by the registry).",
        "citation": "The publication's citation, as given.",
    },
    "links": {"description": "What the linked page is."},
    "available_ipds": {
        "document_id": "Id of the data set or document, as the sponsor gives it.",
        "document_type": "What it is (individual participant data set, study protocol, ...).",
        "comment": "The sponsor's comment on it.",
    },
    "provided_documents": {
        "document_type": "Short code of the document (`Prot_SAP`, `ICF` ...).",
        "label": "What the document is (`Study Protocol and Statistical Analysis Plan` ...).",
        "has_protocol": "Whether it holds the study protocol.",
        "has_icf": "Whether it holds the informed consent form.",
        "has_sap": "Whether it holds the statistical analysis plan.",
        "document_date": "Date of the document.",
        "uploaded_at": "When it was uploaded to the registry.",
        "file_name": "File name on the registry.",
        "size": "Size in bytes.",
    },
    "ipd_information_types": {"name": "STUDY_PROTOCOL, SAP, ICF, CSR or ANALYTIC_CODE."},
    "pending_results": {
        "event": "RELEASE (results submitted), RESET (returned by the registry's review) or another event.",
        "event_date_description": "The event's date as the registry gives it.",
        "event_date": "The event's date; null when the registry gives no date (`Unknown`).",
    },
    "trials": {
        "org_study_id": "The sponsor's own id of the trial.",
        "org_study_id_type": "What kind of id org_study_id is, when given (e.g. a grant number).",
        "org_study_id_link": "Link of org_study_id, when given.",
        "organization": "The organization that registered the trial (AACT's `source`).",
        "organization_class": "Kind of that organization (AACT's `source_class`).",
        "nct_id_aliases": "Other NCT ids the registry merged into this trial.",
        "start_date_type": "ACTUAL or ESTIMATED: whether start_date has happened.",
        "primary_completion_date_type": "ACTUAL or ESTIMATED.",
        "completion_date_type": "ACTUAL or ESTIMATED.",
        "study_first_submitted": "Date the sponsor first submitted the trial.",
        "study_first_submitted_qc": "Date the first submission passed the registry's quality control.",
        "first_posted_type": "ACTUAL or ESTIMATED (the registry's estimate, before 2017).",
        "results_first_submitted": "Date results were first submitted.",
        "results_first_submitted_qc": "Date the results first passed the registry's quality control.",
        "results_first_posted": "Date results were first posted.",
        "results_first_posted_type": "ACTUAL or ESTIMATED.",
        "disposition_first_submitted": "Date a certification or extension request delaying results was first submitted.",
        "disposition_first_submitted_qc": "Date that request passed the registry's quality control.",
        "disposition_first_posted": "Date that request was first posted.",
        "disposition_first_posted_type": "ACTUAL or ESTIMATED.",
        "last_update_submitted": "Date the sponsor last submitted a change.",
        "last_update_posted_type": "ACTUAL or ESTIMATED.",
        "status_verified_date": "Month the sponsor last verified the record (its 1st day).",
        "last_known_status": "For a trial whose status is UNKNOWN: the last status the sponsor gave.",
        "limitations_and_caveats": "Limitations and caveats of the posted results.",
        "has_dmc": "Whether a data monitoring committee oversees the trial.",
        "is_fda_regulated_drug": "Whether the trial studies a drug the U.S. FDA regulates.",
        "is_fda_regulated_device": "Whether the trial studies a device the U.S. FDA regulates.",
        "is_unapproved_device": "Whether the device is not yet approved or cleared by the FDA.",
        "is_ppsd": "Whether the device is a pediatric postmarket surveillance study.",
        "is_us_export": "Whether the product is exported from the U.S.",
        "fdaaa801_violation": "Whether the registry posted a FDAAA 801 violation for the trial.",
        "has_expanded_access": "Whether the intervention is also available through expanded access.",
        "expanded_access_nct_id": "NCT id of the expanded access record.",
        "expanded_access_status_for_nct_id": "Status of that expanded access record.",
        "expanded_access_type_individual": "Expanded access for individual patients.",
        "expanded_access_type_intermediate": "Expanded access for intermediate-size populations.",
        "expanded_access_type_treatment": "Expanded access under a treatment IND or protocol.",
        "patient_registry": "Whether the observational study is a patient registry.",
        "target_duration": "For a registry: how long participants are followed (`5 Years`).",
        "biospec_retention": "Whether biospecimens are kept, with or without DNA.",
        "biospec_description": "What biospecimens are kept.",
        "observational_model": "Design of the observational study (COHORT, CASE_CONTROL ...).",
        "time_perspective": "PROSPECTIVE, RETROSPECTIVE or CROSS_SECTIONAL.",
        "intervention_model_description": "The sponsor's words on the intervention model.",
        "masking_description": "The sponsor's words on the masking.",
        "who_masked": "Who is masked: PARTICIPANT, CARE_PROVIDER, INVESTIGATOR, OUTCOMES_ASSESSOR.",
        "minimum_age": "Minimum age as given (`18 Years`); see minimum_age_years.",
        "maximum_age": "Maximum age as given; see maximum_age_years.",
        "std_ages": "The registry's age groups: CHILD, ADULT, OLDER_ADULT.",
        "population": "Who the observational study draws from (the study population).",
        "sampling_method": "PROBABILITY_SAMPLE or NON_PROBABILITY_SAMPLE.",
        "gender_based": "Whether eligibility is based on gender identity.",
        "gender_description": "The sponsor's words on gender-based eligibility.",
        "plan_to_share_ipd": "Whether individual participant data will be shared: YES, NO, UNDECIDED.",
        "plan_to_share_ipd_description": "What will be shared.",
        "ipd_time_frame": "When it will be shared.",
        "ipd_access_criteria": "Who may have it, and how.",
        "ipd_url": "Where it is shared.",
        "removed_countries": "Countries the trial's sites were removed from.",
        "unposted_responsible_party": "Who submitted results that are not yet posted.",
    },
}
for _table, _columns in WHOLE_RECORD.items():
    COLUMNS.setdefault(_table, {}).update(_columns)


# Tables that repeat columns of `trials` with the same meaning.
TRIAL_COLUMNS_IN = ("trial_versions", "trial_changes", "mart_status_transitions", "mart_completion_slippage",
                    "study_details")


def describe(table, column):
    """The meaning of a column, or None when nobody wrote it down yet."""
    inherited = COLUMNS["trials"].get(column) if table in TRIAL_COLUMNS_IN else None
    return COLUMNS.get(table, {}).get(column) or inherited or COLUMNS["*"].get(column)

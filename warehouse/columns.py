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
        "name": "Name of the sponsor or collaborator, as the registry spells it.",
        "role": "`lead` for the lead sponsor, `collaborator` for the others.",
        "canonical_name": "The organization's canonical name (`sponsor_names`): one name for all its spellings.",
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
        "as_of": "The date the run's data describes: for a crawl of the API, the registry's own data date "
                 "(`dataTimestamp` of /version); for an import, the date given with `--as-of`, else the newest "
                 "last update posted in the file; else the UTC day the run finished.",
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
        "recruiting_trials": "Trials with a site in the country that are effectively recruiting "
                             "(`calculated_values.effectively_recruiting`: the trial's status, not the site's).",
        "recruiting_sites": "Sites in the country taking participants (site status RECRUITING or ENROLLING_BY_INVITATION) "
                            "of trials that are effectively recruiting.",
    },
    "sponsor_names": {
        "name": "A sponsor name as the registry spells it.",
        "canonical_name": "The canonical name of its organization: the most used spelling of its group.",
        "is_merged": "True when the registry's name differs from the canonical one.",
        "merged_by": "`canonical` (the name is the canonical one), `spelling` (joined by the spelling rules: case, "
                     "punctuation, a note after the name, a legal suffix) or `alias` (by the reviewed list).",
        "alias_source": "For an `alias`: the evidence that both names are one organization.",
        "trials": "Trials that name this spelling as a sponsor (lead or collaborator).",
    },
    "sponsor_aliases": {
        "name": "A registry spelling that no rule joins to its organization's name.",
        "canonical_name": "The name of the organization it is.",
        "source": "The evidence for the entry.",
    },
    "mart_results_reporting": {
        "primary_completion_year": "Calendar year of the trials' primary completion date.",
        "trials": "Interventional trials not withdrawn with a primary completion date (results expected).",
        "results_due": "Of those, trials whose results were due (a year after primary completion) by their as-of date.",
        "results_reported": "Of the due trials, those with results in the registry.",
        "results_overdue": "Of the due trials, those without results (`calculated_values.results_overdue`).",
        "with_results": "Trials of the group with results in the registry, due or not yet.",
    },
    "mart_terminations": {
        "lead_sponsor": "Canonical name of the lead sponsor's organization (`sponsor_names`).",
        "stopped_on": "When the history saw the trial take its stopped status (the changing version's last update "
                      "posted); null when it was first seen stopped.",
    },
    "mart_overdue_by_sponsor": {
        "lead_sponsor": "Canonical name of the lead sponsor's organization (`sponsor_names`).",
        "trials": "Trials the organization leads.",
        "open_trials": "Of those, trials recruiting, not yet recruiting, enrolling by invitation or active.",
        "overdue_trials": "Trials open though their primary completion date has passed (`calculated_values.is_overdue`).",
        "stale_trials": "Trials in status UNKNOWN (`calculated_values.is_stale`).",
        "results_overdue_trials": "Trials whose results are overdue (`calculated_values.results_overdue`).",
    },
    "calculated_values": {
        "as_of_date": "The date the data of the trial's current version describes: `runs.as_of` of the run that "
                      "stored it, or of a later complete crawl with the same options that saw it unchanged. Every "
                      "status-aware column below is computed as of this date, never today's.",
        "number_of_sites": "Sites (facilities) the trial lists; 0 when it lists none.",
        "number_of_countries": "Distinct countries of its sites (recognized ISO codes).",
        "has_us_facility": "True when a site is in the United States.",
        "has_single_facility": "True when the trial lists exactly one site.",
        "registered_in_calendar_year": "Year the trial was first posted on the registry.",
        "number_of_primary_outcomes_to_measure": "Primary outcome measures of the protocol.",
        "number_of_secondary_outcomes_to_measure": "Secondary outcome measures of the protocol.",
        "number_of_other_outcomes_to_measure": "Other pre-specified outcome measures of the protocol.",
        "were_results_reported": "True when the registry holds results for the trial.",
        "is_overdue": "Its primary completion date lies before the as-of date while its overall status is still "
                      "RECRUITING, NOT_YET_RECRUITING, ENROLLING_BY_INVITATION or ACTIVE_NOT_RECRUITING.",
        "is_stale": "Its overall status is UNKNOWN: the registry's mark for an open trial whose sponsor has not "
                    "verified it for two years.",
        "effectively_recruiting": "Its overall status is RECRUITING or ENROLLING_BY_INVITATION and its primary "
                                  "completion date has not passed as of the as-of date.",
        "results_due_date": "One year after the primary completion date, for interventional trials not withdrawn "
                            "(when results are due under 42 CFR 11.44); null otherwise.",
        "results_overdue": "The results due date lies before the as-of date and the registry holds no results.",
        "first_planned_enrollment": "The enrollment of the trial's earliest stored version with an ESTIMATED "
                                    "(planned) enrollment; null when every stored version gave an actual count.",
        "actual_enrollment": "The current enrollment when it is ACTUAL (participants enrolled), else null.",
        "enrollment_change": "actual_enrollment minus first_planned_enrollment (negative: fewer enrolled than planned).",
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


# Tables that repeat columns of `trials` with the same meaning.
TRIAL_COLUMNS_IN = ("trial_versions", "trial_changes", "mart_status_transitions", "mart_completion_slippage",
                    "mart_terminations", "mart_results_reporting", "mart_overdue_by_sponsor")


def describe(table, column):
    """The meaning of a column, or None when nobody wrote it down yet."""
    inherited = COLUMNS["trials"].get(column) if table in TRIAL_COLUMNS_IN else None
    return COLUMNS.get(table, {}).get(column) or inherited or COLUMNS["*"].get(column)

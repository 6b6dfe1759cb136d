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

# The WHO Trial Registration Data Set columns of a registration, in the run files and the warehouse.
_REGISTRATION = {
    "registry": "The registry of the registration: `CTGOV`, `EUCTR`, `CTIS`, `ISRCTN`, `ChiCTR`, `ANZCTR`, "
                "`DRKS`, `IRCT`, `JPRN`, `NTR`, `TCTR` ... (ICTRP's source register, as a code).",
    "trial_id": "The registration's id in its registry, as the registry writes it; for the EU register "
                "`<EudraCT number>-<country code>`, one per member state's record (`3rd` outside the EEA).",
    "url": "The registration's page on its registry.",
    "public_title": "Public (lay) title; WHO data set item 9 (`brief_title` for CT.gov).",
    "scientific_title": "Scientific title; WHO item 10 (`official_title` for CT.gov).",
    "acronym": "Acronym or short title of the trial, if any.",
    "primary_sponsor": "Primary sponsor; WHO item 5 (`lead_sponsor` for CT.gov).",
    "status": "Recruitment status on one vocabulary (etl/registry.py): `PENDING`, `RECRUITING`, "
              "`NOT_RECRUITING` (ICTRP's catch-all), `ONGOING` (EU: authorised, running), `SUSPENDED`, "
              "`COMPLETED`, `TERMINATED`, `WITHDRAWN`, `UNKNOWN`, `OTHER`.",
    "registry_status": "The recruitment status as the registry (or ICTRP) wrote it.",
    "phase": "Phase on ClinicalTrials.gov's vocabulary (`PHASE2/PHASE3`, `NA` ...); null when the "
             "registry's phase names none.",
    "registry_phase": "The phase as the registry wrote it (the EU register: its yes/no line per phase).",
    "study_type": "Study type as the registry wrote it.",
    "registration_date": "Date of registration (WHO item 3; CT.gov: first posted; EU: first entered in EudraCT).",
    "start_date": "Date of first enrolment (WHO item 16; EU: the national authority's decision date).",
    "target_size": "Planned number of participants (ChiCTR's per-group sizes summed); null when not a number.",
    "primary_outcome": "Primary outcome(s) as free text.",
    "last_refreshed": "When the registry last refreshed the record (ICTRP's `Last Refreshed on`; CT.gov: "
                      "last update posted); null when not given.",
    "record_flags": "What the parser found wrong in the record: `bad_value:<field>` (the EU register's "
                    "`JSON_ERROR_HERE`, left out), `unparsed_date:<field>`, `earlier_versions:N` (a country "
                    "record served twice: the later is kept); for CT.gov its validation flags.",
}

COLUMNS = {
    "*": {
        "record_id": "The fetched record this row came from: `<run_id>/<n>`, n counting the run's records.",
        "nct_id": "ClinicalTrials.gov registry number (`NCT` and 8 digits); joins every table to `trials`.",
        "source": "How the record arrived: `ctgov_api` (API v2 crawl), `ctgov_bulk` (bulk v2 JSON import), "
                  "`ctgov_xml` (legacy XML import), `mirror_page` (mirror-site page crawl), `ictrp_xml` / "
                  "`ictrp_csv` (WHO ICTRP export import), `euctr_text` (EU register full text, crawled or imported) or "
                  "`euctr_page` (EU register protocol page, imported).",
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
    "registry_records": {
        "record_id": "The fetched record this row came from; its `trials` row (in the run files only) holds the "
                     "store's key of the record, `<ictrp|euctr>:<trial id>`, in `nct_id`.",
        **_REGISTRATION,
        "source_register": "ICTRP's name of the source register, as exported.",
        "target_size_text": "The planned size as the registry wrote it.",
        "inclusion_criteria": "Key inclusion criteria, as free text (white space and `<br>` cleaned).",
        "exclusion_criteria": "Key exclusion criteria, as free text.",
    },
    "registry_values": {
        "field": "What the value is: `country`, `condition`, `intervention`, `secondary_id`, `secondary_sponsor`, "
                 "`sponsor_protocol_id` (the EU register's A.4.1).",
        "value": "One value, cleaned, in the record's order.",
        "code": "For a country, its ISO 3166-1 alpha-2 code when the spelling is known.",
    },
    "registry_trials": {
        **_REGISTRATION,
        "source": "Where the row came from: a CT.gov source (`ctgov_api` ...), `ictrp_xml` / `ictrp_csv`, "
                  "`euctr_text` or `euctr_page`.",
        "source_url": "Where the record was fetched or imported (`file://...#n` for the n-th trial of an export).",
        "countries": "Countries of recruitment as the registry spells them (CT.gov: its sites' countries).",
        "country_codes": "ISO codes of those countries, where known, sorted.",
        "conditions": "Conditions or health problems studied.",
        "interventions": "Interventions (CT.gov: their names; EU: product names).",
        "secondary_ids": "Other ids the registration declares, as written (trial_identity_links reads them).",
        "fetched_at": "When the record was fetched or imported (UTC).",
    },
    "registry_record_versions": {
        **_REGISTRATION,
        "source": "The source of the record: `ictrp_xml`, `ictrp_csv`, `euctr_text` or `euctr_page`.",
        "run_id": "The run that stored this version.",
        "fetched_at": "When this version was fetched or imported (UTC).",
        "version": "1 for the first version of the record stored, counting up.",
        "is_current": "True for the latest version of the record: the one registry_trials reads, unless the "
                      "registry's own record of the registration is preferred (CT.gov's over ICTRP's copy).",
    },
    "mart_registry_trials": {
        "registry": "The registry of the trial's preferred registration.",
        "status": "Recruitment status on the registries' one vocabulary (see registry_trials).",
        "phase": "Phase on ClinicalTrials.gov's vocabulary; `none` when the registry names none.",
        "registration_year": "Calendar year of the preferred registration.",
        "trials": "Number of distinct trials in the group.",
        "registrations": "Registrations of those trials in every registry.",
        "target_size": "Sum of the planned sizes of those trials.",
    },
    "trial_identities": {
        "trial_key": "The trial's key: the smallest own id of its linked registrations (`NCT…`, "
                     "`EUDRACT:<number>`, `ISRCTN…` ...); `count(distinct trial_key)` counts trials.",
        "registry": "The registration's registry (see registry_trials).",
        "trial_id": "The registration's id in its registry.",
        "url": "The registration's page on its registry.",
        "is_preferred": "True for the one registration that stands for the trial (as ctrdata's isUniqueTrial).",
        "registrations": "How many registrations the trial has.",
    },
    "trial_identity_links": {
        "trial_key": "The trial the registration belongs to (see trial_identities).",
        "registry": "The declaring registration's registry.",
        "trial_id": "The declaring registration's id.",
        "declared_as": "`own` (the registration's own id) or `secondary` (an id it declares).",
        "declared_value": "The id as declared.",
        "identifier": "The id read as a registry id (`NCT…`, `EUDRACT:…`, `CTIS:…`, `ISRCTN…`, `UTN:…` ...); "
                      "null when it is none (sponsor codes, 'N/A').",
        "links": "Whether this id links the registration to the others of its trial.",
        "reason": "Why: `own id`, `secondary id`, `not an id of a known registry`, `ambiguous: declared by …` "
                  "(registrations of different trials of one registry declare it), `not followed: it would merge …`.",
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
        "stale_trials": "Trials in status UNKNOWN or open and unverified for two years (`calculated_values.is_stale`).",
        "results_overdue_trials": "Trials whose results are overdue (`calculated_values.results_overdue`).",
    },
    "therapeutic_areas": {
        "area_code": "The registry's code of the browse branch (`BC04`; `BXM`, `BXS` for its combined branches).",
        "area": "The therapeutic area: the registry's name of the browse branch (`Neoplasms`, `Heart and Blood "
                "Diseases`).",
    },
    "mart_trials_by_area_phase_status": {
        "area_code": "The registry's code of the therapeutic area (`therapeutic_areas.area_code`).",
        "area": "The therapeutic area (`therapeutic_areas.area`).",
        "trials": "Trials of the area, phase and status.",
        "enrollment": "Their enrollment summed (actual or planned, as each trial gives it).",
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
        "is_stale": "Its overall status is UNKNOWN (the registry's mark for an open trial whose sponsor has not "
                    "verified it for two years), or it is still RECRUITING, NOT_YET_RECRUITING, ENROLLING_BY_INVITATION "
                    "or ACTIVE_NOT_RECRUITING and its status was last verified (`trials.status_verified_date`) more "
                    "than two years before the as-of date. False when neither is known (pages carry no verified date).",
        "actual_duration": "Months from the start date to the primary completion date, both actual: AACT's "
                           "definition (days / 30, truncated toward zero). A date counts when typed ACTUAL, or, untyped "
                           "(records from before the registry typed dates, mirror pages), when the trial is "
                           "COMPLETED or TERMINATED with its primary completion before the as-of date; null "
                           "otherwise (an estimated or missing date).",
        "months_to_report_results": "Months from the primary completion date to the first submission of results "
                                    "(`trials.results_first_submitted`), AACT's definition (days / 30, truncated); "
                                    "null for trials that never submitted results.",
        "number_of_primary_outcomes_reported": "Primary outcome measures in the trial's results (`result_outcomes`); "
                                               "null when it has none in results.",
        "number_of_secondary_outcomes_reported": "Secondary outcome measures in the trial's results; null when it has "
                                                 "none in results.",
        "number_of_other_outcomes_reported": "Other pre-specified outcome measures in the trial's results; null when "
                                             "it has none in results.",
        "number_of_post_hoc_outcomes_reported": "Post-hoc outcome measures in the trial's results; null when it has "
                                                "none in results.",
        "number_of_sae_subjects": "Participants affected by serious adverse events, as AACT: `subjects_affected` of "
                                  "`reported_events` summed over every term and group (one participant counts once "
                                  "per term: for distinct participants per group see `reported_event_totals`); null "
                                  "when the trial reports no serious event.",
        "number_of_nsae_subjects": "Participants affected by other (not serious) adverse events, summed as "
                                   "number_of_sae_subjects; null when the trial reports no other event.",
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

# ---- Results tables (sql/documents/, issue 20) -----------------------------------------------------
# Described here ahead of the build that makes them: the data dictionary lists a table once the
# warehouse holds it. Values "as given" are the registry's text; a numeric twin parses it (see the SQL).
_GROUP = "The group the row is about, as the registry numbers it (see `result_groups`)."
_VALUE_COLUMNS = {
    "result_group_id": _GROUP,
    "classification": "Title of the class the value belongs to (e.g. a country, a time point), if the measure has classes.",
    "category": "Title of the category the value belongs to (e.g. `Female`), if the class has categories.",
    "param_value": "The value as the registry gives it (`12.5`, `NA`).",
    "param_value_num": "param_value as a number; null when it is not a plain number (`NA`).",
    "dispersion_value": "The spread (standard deviation, error ...) as given.",
    "dispersion_value_num": "dispersion_value as a number; null when it is not a plain number.",
    "dispersion_lower_limit_raw": "Lower end of the range or confidence interval, as given.",
    "dispersion_lower_limit": "dispersion_lower_limit_raw as a number; null when it is not a plain number.",
    "dispersion_upper_limit_raw": "Upper end of the range or confidence interval, as given.",
    "dispersion_upper_limit": "dispersion_upper_limit_raw as a number; null when it is not a plain number.",
    "explanation_of_na": "Why a value is not given (or a comment on it).",
}
_COUNT_COLUMNS = {
    "result_group_id": _GROUP,
    "units": "What is counted: `Participants`, or other units (eyes, lesions ...).",
    "count": "How many of them.",
}
RESULTS_COLUMNS = {
    "result_groups": {
        "result_type": "Which part of the results the group belongs to: `participant_flow`, `baseline`, `outcome`, "
                       "`adverse_event`.",
        "outcome_number": "For outcome groups: the outcome (see `result_outcomes`); each outcome numbers its own groups.",
        "result_group_id": "Id of the group as the registry gives it: `FG000`, `BG000`, `OG000`, `EG000` from API v2 "
                           "and bulk JSON (numbered from 0 in each list), `P1`, `B1`, `O1`, `E1` from legacy XML "
                           "(numbered from 1: P1 is FG000's place).",
        "title": "Name of the group (often an arm, or `Total`).",
        "description": "Description of the group.",
    },
    "participant_flows": {
        "recruitment_details": "Recruitment details: when and where participants were enrolled.",
        "pre_assignment_details": "What happened to participants between enrollment and assignment to groups.",
        "units_analyzed": "The units the flow counts besides participants (e.g. `Eyes`), if any.",
    },
    "milestones": {
        "period": "The stage of the trial (`Overall Study`, a treatment period ...).",
        "title": "The milestone: `STARTED`, `COMPLETED`, `NOT COMPLETED` or one the trial names.",
        "result_group_id": _GROUP,
        "count": "Participants that reached the milestone.",
        "count_units": "Units (other than participants) that reached it, if the flow counts units.",
        "description": "Comment on this group's count.",
        "milestone_description": "Comment on the milestone.",
    },
    "drop_withdrawals": {
        "period": "The stage of the trial (`Overall Study`, a treatment period ...).",
        "reason": "Why participants left (`Adverse Event`, `Withdrawal by Subject`, `Lost to Follow-up` ...).",
        "result_group_id": _GROUP,
        "count": "Participants that left for this reason.",
        "count_units": "Units (other than participants) that left, if the flow counts units.",
        "reason_comment": "Comment on this group's count.",
        "drop_withdraw_comment": "Comment on the reason.",
    },
    "baseline_counts": {
        **_COUNT_COLUMNS,
        "scope": "What the count covers: the whole baseline (`overall`), one measure (`measure`) or one class of a "
                 "measure (`class`).",
        "measure_number": "For `measure` and `class` counts: the measure (`baseline_measurements.measure_number`).",
        "classification": "For `class` counts: the class title.",
        "population_description": "Who the baseline describes, and why it differs from those who started, if it does.",
        "units_analyzed": "The units the baseline counts besides participants, if any.",
    },
    "baseline_measurements": {
        **_VALUE_COLUMNS,
        "measure_number": "Position of the measure in the baseline (1 for the first); two measures may share a title.",
        "title": "The characteristic measured (`Age, Continuous`, `Sex: Female, Male`, `Race (NIH/OMB)` ...).",
        "description": "Description of the measure.",
        "population_description": "Who the measure describes, if not every participant.",
        "units": "Unit of the values (`years`, `Participants` ...).",
        "param_type": "The statistic: `COUNT_OF_PARTICIPANTS`, `MEAN`, `MEDIAN`, `NUMBER` ...",
        "dispersion_type": "The spread given with it: `STANDARD_DEVIATION`, `FULL_RANGE`, `INTER_QUARTILE_RANGE` ...",
        "calculate_percentage": "Whether the registry shows the counts as percentages of the participants too.",
        "denom_units_selected": "The units the values are counted in, when not participants.",
        "number_analyzed": "Participants (or units) the value is about: the class's count for the group, else the "
                           "measure's (see `baseline_counts`); null when the baseline's overall count applies.",
        "number_analyzed_units": "What number_analyzed counts.",
    },
    "result_outcomes": {
        "outcome_number": "Position of the outcome in the results (1 for the first): with record_id, the key its "
                          "groups, values, counts and analyses share.",
        "outcome_type": "`PRIMARY`, `SECONDARY`, `OTHER_PRE_SPECIFIED` or `POST_HOC`.",
        "title": "What the outcome measures.",
        "description": "Description of the outcome measure.",
        "time_frame": "When the outcome is measured.",
        "population": "Who was analyzed, and why not everyone, if not.",
        "reporting_status": "`POSTED`, or `NOT_POSTED` while the results of this outcome are still to come.",
        "anticipated_posting_date": "When results not yet posted are expected (`YYYY-MM`), as given.",
        "units": "Unit of the values.",
        "param_type": "The statistic: `MEAN`, `NUMBER`, `COUNT_OF_PARTICIPANTS`, `LEAST_SQUARES_MEAN` ...",
        "dispersion_type": "The spread given with it, as the registry words it (`Standard Deviation`, "
                           "`95% Confidence Interval` ...).",
        "calculate_percentage": "Whether the registry shows the counts as percentages too.",
        "units_analyzed": "The units analyzed besides participants (e.g. `Eyes`), if any.",
        "denom_units_selected": "The units the values are counted in, when not participants.",
    },
    "outcome_measurements": {
        **_VALUE_COLUMNS,
        "outcome_number": "The outcome (see `result_outcomes`).",
        "outcome_type": "`PRIMARY`, `SECONDARY`, `OTHER_PRE_SPECIFIED` or `POST_HOC`.",
        "title": "What the outcome measures.",
        "time_frame": "When the outcome is measured.",
        "units": "Unit of the values.",
        "param_type": "The statistic: `MEAN`, `NUMBER`, `COUNT_OF_PARTICIPANTS`, `LEAST_SQUARES_MEAN` ...",
        "dispersion_type": "The spread given with it, as the registry words it (`Standard Deviation` ...).",
    },
    "outcome_counts": {
        **_COUNT_COLUMNS,
        "outcome_number": "The outcome (see `result_outcomes`).",
        "scope": "What the count covers: the whole outcome (`measure`) or one class of it (`class`).",
        "classification": "For `class` counts: the class title.",
    },
    "outcome_analyses": {
        "outcome_number": "The outcome analyzed (see `result_outcomes`).",
        "group_ids": "The groups compared (`result_groups.result_group_id` of the outcome's groups).",
        "groups_description": "Description of the comparison.",
        "method": "Statistical test (`ANCOVA`, `Log Rank`, `t-test, 2 sided` ...).",
        "method_description": "Comment on the method.",
        "p_value_raw": "The p-value as given (`0.03`, `<0.001`).",
        "p_value_modifier": "The sign before the p-value, if any (`<`, `>`, `<=`, `=`).",
        "p_value": "The p-value as a number: `<0.001` is 0.001 (its sign in p_value_modifier), a decimal comma a point.",
        "p_value_description": "Comment on the p-value (significance level, adjustments ...).",
        "param_type": "The estimate (`Hazard Ratio (HR)`, `Mean Difference (Final Values)` ...).",
        "param_value_raw": "The estimate's value, as given.",
        "param_value": "param_value_raw as a number; null when it is not a plain number.",
        "dispersion_type": "The estimate's spread: `STANDARD_DEVIATION` or `STANDARD_ERROR_OF_MEAN`.",
        "dispersion_value_raw": "The spread's value, as given.",
        "dispersion_value": "dispersion_value_raw as a number; null when it is not a plain number.",
        "ci_n_sides": "`ONE_SIDED` or `TWO_SIDED` confidence interval.",
        "ci_percent": "Confidence level of the interval, in percent (95).",
        "ci_lower_limit_raw": "Lower limit of the confidence interval, as given.",
        "ci_lower_limit": "ci_lower_limit_raw as a number; null when it is not a plain number.",
        "ci_upper_limit_raw": "Upper limit of the confidence interval, as given.",
        "ci_upper_limit": "ci_upper_limit_raw as a number; null when it is not a plain number.",
        "ci_lower_limit_na_comment": "Why the lower limit is not given.",
        "ci_upper_limit_na_comment": "Why the upper limit is not given.",
        "estimate_description": "Comment on the estimate.",
        "tested_non_inferiority": "Whether the analysis tests non-inferiority or equivalence.",
        "non_inferiority_type": "`SUPERIORITY`, `NON_INFERIORITY`, `EQUIVALENCE`, `SUPERIORITY_OR_OTHER` ... "
                                "(`_LEGACY` for values from before 2017).",
        "non_inferiority_description": "Details of the non-inferiority or equivalence test.",
        "other_analysis_description": "Description of an analysis of another kind.",
    },
    "reported_events": {
        "event_type": "`serious` or `other` (non-serious) adverse event.",
        "result_group_id": _GROUP,
        "organ_system": "Organ system of the event (MedDRA system organ class, e.g. `Cardiac disorders`).",
        "adverse_event_term": "The adverse event, as the trial words it (usually a MedDRA term).",
        "vocab": "Vocabulary of the term (`MedDRA 19.0`, `CTCAE (4.0)` ...).",
        "assessment": "`SYSTEMATIC_ASSESSMENT` or `NON_SYSTEMATIC_ASSESSMENT`.",
        "notes": "Comment on the event.",
        "subjects_affected": "Participants of the group who had the event.",
        "subjects_at_risk": "Participants of the group at risk of it.",
        "event_count": "Times the event occurred in the group, if given.",
    },
    "reported_event_totals": {
        "result_group_id": _GROUP,
        "event_type": "`deaths` (all-cause mortality), `serious` or `other` adverse events.",
        "subjects_affected": "Participants of the group who died, or had any serious or other adverse event.",
        "subjects_at_risk": "Participants of the group at risk.",
        "time_frame": "Over what time adverse events were collected (the same on every row of a trial).",
        "description": "How adverse events were defined and collected, if the trial says.",
        "frequency_threshold": "Percent of participants above which other (non-serious) events are listed, as given.",
        "all_cause_mortality_comment": "Comment on the deaths counted.",
    },
    "result_agreements": {
        "pi_employee": "Whether all principal investigators are employees of the sponsor.",
        "restrictive_agreement": "Whether an agreement restricts what the investigators may publish.",
        "restriction_type": "`LTE60` (sponsor may embargo up to 60 days), `GT60` (60 to 180 days) or `OTHER`.",
        "other_details": "The restriction, in words, when it is `OTHER`.",
    },
    "result_contacts": {
        "name": "Name or title of the contact for the results.",
        "organization": "Organization of the contact.",
        "phone": "Phone number.",
        "extension": "Phone extension.",
        "email": "Email address.",
    },
}
COLUMNS.update(RESULTS_COLUMNS)

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
                    "mart_terminations", "mart_results_reporting", "mart_overdue_by_sponsor", "study_details")


def describe(table, column):
    """The meaning of a column, or None when nobody wrote it down yet."""
    inherited = COLUMNS["trials"].get(column) if table in TRIAL_COLUMNS_IN else None
    return COLUMNS.get(table, {}).get(column) or inherited or COLUMNS["*"].get(column)

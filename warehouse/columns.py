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


# Tables that repeat columns of `trials` with the same meaning.
TRIAL_COLUMNS_IN = ("trial_versions", "trial_changes", "mart_status_transitions", "mart_completion_slippage")


def describe(table, column):
    """The meaning of a column, or None when nobody wrote it down yet."""
    inherited = COLUMNS["trials"].get(column) if table in TRIAL_COLUMNS_IN else None
    return COLUMNS.get(table, {}).get(column) or inherited or COLUMNS["*"].get(column)

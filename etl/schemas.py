"""Explicit pyarrow schemas of the normalized tables: the contract between etl and the warehouse.

Every row written by a parser carries `record_id`, the id of the fetched record it came from, so the
warehouse can keep one version of a trial together with exactly that version's child rows.
"""
import pyarrow as pa

from trials.etl import document_sql

STR = pa.string()
DATE = pa.date32()
TS = pa.timestamp("us", tz="UTC")

TRIALS = pa.schema([
    ("record_id", STR),
    ("nct_id", STR),
    ("source", STR),
    ("source_url", STR),
    ("brief_title", STR),
    ("official_title", STR),
    ("acronym", STR),
    ("study_type", STR),
    ("phase", STR),
    ("phases", pa.list_(STR)),
    ("overall_status", STR),
    ("why_stopped", STR),
    ("start_date", DATE),
    ("start_date_precision", STR),
    ("primary_completion_date", DATE),
    ("primary_completion_date_precision", STR),
    ("completion_date", DATE),
    ("completion_date_precision", STR),
    ("first_posted", DATE),
    ("last_update_posted", DATE),
    ("enrollment", pa.int64()),
    ("enrollment_type", STR),
    ("allocation", STR),
    ("intervention_model", STR),
    ("primary_purpose", STR),
    ("masking", STR),
    ("sex", STR),
    ("minimum_age_years", pa.float64()),
    ("maximum_age_years", pa.float64()),
    ("healthy_volunteers", pa.bool_()),
    ("eligibility_criteria", STR),
    ("brief_summary", STR),
    ("detailed_description", STR),
    ("lead_sponsor", STR),
    ("lead_sponsor_class", STR),
    ("has_results", pa.bool_()),
    # What etl/validate.py found implausible (`check:column`); the raw values stay in their columns.
    ("validation_flags", pa.list_(STR)),
    ("content_hash", STR),
    ("fetched_at", TS),
])


def _child(*columns):
    return pa.schema([("record_id", STR), ("nct_id", STR), *columns])


CHILDREN = {
    "conditions": _child(("condition", STR)),
    "condition_mesh_terms": _child(("mesh_id", STR), ("mesh_term", STR)),
    "interventions": _child(("intervention_type", STR), ("name", STR), ("description", STR)),
    "sponsors": _child(("name", STR), ("agency_class", STR), ("role", STR)),
    "sites": _child(
        # The site's place in the registry's list of the trial's locations, from 1: the key that
        # facility_contacts and facility_investigators name it by.
        ("site_id", pa.int64()),
        ("facility", STR), ("city", STR), ("state", STR), ("zip", STR), ("country", STR),
        ("country_code", STR), ("status", STR), ("latitude", pa.float64()), ("longitude", pa.float64()),
    ),
    "keywords": _child(("keyword", STR)),
    "secondary_ids": _child(("secondary_id", STR), ("id_type", STR), ("domain", STR)),
    "arm_groups": _child(("label", STR), ("arm_type", STR), ("description", STR)),
    "outcomes": _child(("kind", STR), ("measure", STR), ("time_frame", STR), ("description", STR)),
}

# Records of other registries (etl/ictrp.py, etl/euctr.py), on the WHO Trial Registration Data Set.
# Such a record's `trials` row holds only what the store keys and dates it by: `nct_id` is the
# store's key of the record, `<source family>:<trial id>` (etl/registry.py), never an NCT id.
REGISTRY_TABLES = {
    "registry_records": pa.schema([
        ("record_id", STR),
        ("registry", STR),
        ("trial_id", STR),
        ("source_register", STR),
        ("url", STR),
        ("public_title", STR),
        ("scientific_title", STR),
        ("acronym", STR),
        ("primary_sponsor", STR),
        ("registry_status", STR),
        ("status", STR),
        ("registry_phase", STR),
        ("phase", STR),
        ("study_type", STR),
        ("registration_date", DATE),
        ("start_date", DATE),
        ("target_size", pa.int64()),
        ("target_size_text", STR),
        ("inclusion_criteria", STR),
        ("exclusion_criteria", STR),
        ("primary_outcome", STR),
        ("last_refreshed", DATE),
        ("record_flags", pa.list_(STR)),
    ]),
    "registry_values": pa.schema([
        ("record_id", STR),
        ("field", STR),
        ("value", STR),
        ("code", STR),
    ]),
}

QUARANTINE = pa.schema([
    ("source", STR),
    ("url", STR),
    ("fetched_at", TS),
    ("stage", STR),
    ("reason", STR),
    ("payload", STR),
])

# The source document each record was parsed from, as stored: the API's study JSON, or the legacy
# (or mirror-rebuilt) `<clinical_study>` XML. `trials reparse` derives every table from it again.
DOCUMENTS = _child(("format", STR), ("body", STR))
# What the parsers return...
PARSED = {"trials": TRIALS, **CHILDREN, **REGISTRY_TABLES, "documents": DOCUMENTS}
# ...and what the SQL in sql/documents/ derives from the documents (etl/document_sql.py): each
# table's SELECT is its schema.
DERIVED = document_sql.schemas()
TABLES = {**PARSED, **DERIVED}

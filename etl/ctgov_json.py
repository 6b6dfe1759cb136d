"""Parser of ClinicalTrials.gov API v2 study objects (JSON bytes) into the normalized tables.

Columnar: a batch of studies is read at once by Arrow's JSON reader (C++, typed by an explicit schema
of only the fields the tables keep) and the tables are built with Arrow compute. Python touches only
the distinct values of the columns that need a normalizer (dates, ages, countries, phases), so
parsing a study into its tables costs about what `json.loads` alone takes (`make bench`).
"""
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from trials.etl.table_builder import TableBuilder
from trials.etl.record import Rejected, read_halving
from trials.etl.schemas import STR
from trials.etl.vocab import country_code, parse_age_years


def _struct(**fields):
    return pa.struct(list(fields.items()))


def _list_of(**fields):
    return pa.list_(_struct(**fields))


_DATE = _struct(date=STR)
_OUTCOMES = _list_of(measure=STR, timeFrame=STR, description=STR)
_SPONSOR = _struct(name=STR, **{"class": STR})
STUDY = _struct(
    protocolSection=_struct(
        identificationModule=_struct(nctId=STR, briefTitle=STR, officialTitle=STR, acronym=STR,
                                     secondaryIdInfos=_list_of(id=STR, type=STR, domain=STR)),
        statusModule=_struct(overallStatus=STR, whyStopped=STR, startDateStruct=_DATE,
                             primaryCompletionDateStruct=_DATE, completionDateStruct=_DATE,
                             studyFirstPostDateStruct=_DATE, lastUpdatePostDateStruct=_DATE),
        designModule=_struct(studyType=STR, phases=pa.list_(STR),
                             designInfo=_struct(allocation=STR, interventionModel=STR, primaryPurpose=STR,
                                                maskingInfo=_struct(masking=STR)),
                             enrollmentInfo=_struct(count=pa.int64(), type=STR)),
        eligibilityModule=_struct(sex=STR, minimumAge=STR, maximumAge=STR, healthyVolunteers=pa.bool_(),
                                  eligibilityCriteria=STR),
        descriptionModule=_struct(briefSummary=STR, detailedDescription=STR),
        sponsorCollaboratorsModule=_struct(leadSponsor=_SPONSOR, collaborators=pa.list_(_SPONSOR)),
        armsInterventionsModule=_struct(interventions=_list_of(type=STR, name=STR, description=STR),
                                        armGroups=_list_of(label=STR, type=STR, description=STR)),
        outcomesModule=_struct(primaryOutcomes=_OUTCOMES, secondaryOutcomes=_OUTCOMES, otherOutcomes=_OUTCOMES),
        conditionsModule=_struct(conditions=pa.list_(STR), keywords=pa.list_(STR)),
        contactsLocationsModule=_struct(locations=_list_of(
            facility=STR, city=STR, state=STR, zip=STR, country=STR, status=STR,
            geoPoint=_struct(lat=pa.float64(), lon=pa.float64()))),
    ),
    derivedSection=_struct(conditionBrowseModule=_struct(meshes=_list_of(id=STR, term=STR))),
    hasResults=pa.bool_(),
)
_OPTIONS = pj.ParseOptions(explicit_schema=pa.schema([("study", pa.list_(STUDY))]),
                           unexpected_field_behavior="ignore")


def read_studies(bodies):
    """The studies of a batch -> Rows; a body that cannot become a record is in `rows.rejected`."""
    rejected = {}

    def refused(at, exc):
        rejected[at] = _refusal(str(exc))
        return pa.nulls(1, STUDY)  # the study's place in the struct array
    # (UnicodeDecodeError is a ValueError too.)
    parts = read_halving(_read, bodies, refused, (pa.ArrowInvalid, ValueError)) if bodies else [(0, pa.nulls(0, STUDY))]
    return _Tables(pa.concat_arrays([studies for _, studies in parts]), rejected, bodies).rows()


def _read(bodies):
    """The studies as one Arrow struct array; ArrowInvalid or ValueError when the reader refuses the batch."""
    # Each body the one item of a list in an object of its own: a body that is not exactly one
    # JSON value makes its line fail to parse, or its list longer or shorter than one, and
    # cannot reach into its neighbours' lines. One block, so no body straddles two.
    lines = _lines(bodies)
    table = pj.read_json(pa.BufferReader(lines), parse_options=_OPTIONS,
                         read_options=pj.ReadOptions(use_threads=False, block_size=lines.size + 1))
    table.validate(full=True)  # the reader does not check that strings are UTF-8
    studies = table.column("study").combine_chunks()
    if table.num_rows != len(bodies) or pc.any(pc.not_equal(pc.list_value_length(studies), 1)).as_py():
        raise pa.ArrowInvalid("not one JSON value")
    return studies.flatten()


_CHANGED_TYPE = re.compile(r"Column\(/study(?:/\[\])?/?(.*)\) changed from (\w+) to (\w+)")


_PREFIX, _SUFFIX = b'{"study":[', b']}\n'


def _lines(bodies):
    """The bodies as lines `{"study": [<body>]}`, one buffer for the reader."""
    return pa.py_buffer(b"".join([part for body in bodies for part in (_PREFIX, body, _SUFFIX)]))


def _refusal(message):
    """Why the JSON reader refused a body, as the quarantine says it."""
    message = message.removesuffix(" in row 0")
    changed = _CHANGED_TYPE.search(message)
    if changed:
        path, expected, found = changed.groups()
        return Rejected("validate", f"{path or 'the study'}: {_a(found)} where the schema has {_a(expected)}")
    if "Failed to convert" in message or "too big" in message:
        return Rejected("validate", f"a value does not fit the schema: {message}")
    if "Invalid UTF8" in message:
        return Rejected("parse", "invalid JSON: a string that is not UTF-8")
    return Rejected("parse", f"invalid JSON: {message}")


def _a(noun):
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


class _Tables(TableBuilder):
    """Builds the normalized tables from the studies' struct array, one table at a time."""

    def __init__(self, study, rejected, bodies):
        super().__init__(len(study), rejected)
        self.study = study
        self.bodies = bodies
        protocol = pc.struct_field(study, "protocolSection")
        for at in np.flatnonzero(protocol.is_null().to_numpy(zero_copy_only=False)):
            self.reject(at, "not an API v2 study object: no protocolSection")
        self.require_ids(self.field("identificationModule", "nctId"))

    def field(self, *path):
        return pc.struct_field(self.study, ["protocolSection", *path])

    def trials(self):
        dates = {}
        for column, struct in (("start_date", "startDateStruct"),
                               ("primary_completion_date", "primaryCompletionDateStruct"),
                               ("completion_date", "completionDateStruct"),
                               ("first_posted", "studyFirstPostDateStruct"),
                               ("last_update_posted", "lastUpdatePostDateStruct")):
            dates[column], dates[f"{column}_precision"] = self.dates(self.field("statusModule", struct, "date"))
        phases = pc.fill_null(self.field("designModule", "phases"), pa.scalar([], pa.list_(STR)))
        lead = ("sponsorCollaboratorsModule", "leadSponsor")
        has_results = pc.struct_field(self.study, "hasResults")
        return {
            "nct_id": self.nct_id,
            "brief_title": self.field("identificationModule", "briefTitle"),
            "official_title": self.field("identificationModule", "officialTitle"),
            "acronym": self.field("identificationModule", "acronym"),
            "study_type": self.field("designModule", "studyType"),
            "phase": self.joined_phases(phases),
            "phases": phases,
            "overall_status": self.field("statusModule", "overallStatus"),
            "why_stopped": self.field("statusModule", "whyStopped"),
            **{column: dates[column] for column in (
                "start_date", "start_date_precision", "primary_completion_date",
                "primary_completion_date_precision", "completion_date", "completion_date_precision",
                "first_posted", "last_update_posted")},
            "enrollment": self.field("designModule", "enrollmentInfo", "count"),
            "enrollment_type": self.field("designModule", "enrollmentInfo", "type"),
            "allocation": self.field("designModule", "designInfo", "allocation"),
            "intervention_model": self.field("designModule", "designInfo", "interventionModel"),
            "primary_purpose": self.field("designModule", "designInfo", "primaryPurpose"),
            "masking": self.field("designModule", "designInfo", "maskingInfo", "masking"),
            "sex": self.field("eligibilityModule", "sex"),
            "minimum_age_years": self.ages("minimumAge"),
            "maximum_age_years": self.ages("maximumAge"),
            "healthy_volunteers": self.field("eligibilityModule", "healthyVolunteers"),
            "eligibility_criteria": self.field("eligibilityModule", "eligibilityCriteria"),
            "brief_summary": self.field("descriptionModule", "briefSummary"),
            "detailed_description": self.field("descriptionModule", "detailedDescription"),
            "lead_sponsor": self.field(*lead, "name"),
            "lead_sponsor_class": self.field(*lead, "class"),
            "has_results": pc.fill_null(has_results, False),
        }

    def children(self):
        ident, arms = "identificationModule", "armsInterventionsModule"
        conditions = self.items(self.field("conditionsModule", "conditions"))
        keywords = self.items(self.field("conditionsModule", "keywords"))
        mesh = self.items(pc.struct_field(self.study, ["derivedSection", "conditionBrowseModule", "meshes"]))
        sites = self.items(self.field("contactsLocationsModule", "locations"))
        country = pc.struct_field(sites["values"], "country")
        latitude, longitude = (pc.struct_field(sites["values"], ["geoPoint", axis]) for axis in ("lat", "lon"))
        for coordinate in (latitude, longitude):  # JSON has no NaN; the reader takes one all the same
            finite = pc.fill_null(pc.is_finite(coordinate), True).to_numpy(zero_copy_only=False)
            for at in sites["_record"][~finite]:
                self.reject(at, "invalid study: a coordinate that is not a finite number")
        return {
            "conditions": self.child(conditions, condition=conditions["values"]),
            "keywords": self.child(keywords, keyword=keywords["values"]),
            "condition_mesh_terms": self.child(mesh, mesh_id="id", mesh_term="term"),
            "interventions": self.child(self.items(self.field(arms, "interventions")),
                                        intervention_type="type", name="name", description="description"),
            "arm_groups": self.child(self.items(self.field(arms, "armGroups")),
                                     label="label", arm_type="type", description="description"),
            "sponsors": self.sponsors(),
            "sites": self.child(sites, site_id=self.ordinals(sites["_record"]), facility="facility", city="city", state="state", zip="zip",
                                country=country, country_code=self.mapped(country, country_code, STR, sites["_record"]),
                                status="status", latitude=latitude, longitude=longitude),
            "secondary_ids": self.child(self.items(self.field(ident, "secondaryIdInfos")),
                                        secondary_id="id", id_type="type", domain="domain"),
            "outcomes": self.outcomes(),
            "documents": self.documents("json", self.bodies),
        }

    def items(self, lists):
        """A list column's items and, for each, the index of its study; a null item (`[null]`
        where rows are expected) makes its study a ParseError, like any value of the wrong shape."""
        values = pc.list_flatten(lists)
        record = pc.list_parent_indices(lists).to_numpy()
        if pa.types.is_struct(values.type) and values.null_count:
            for at in record[values.is_null().to_numpy(zero_copy_only=False)]:
                self.reject(at, "invalid study: a null where an object is expected")
        return {"values": values, "_record": record}

    def child(self, items, **columns):
        """A child table: each column is an array, or the name of a field of the items' structs."""
        return self.owned(items["_record"], {
            name: pc.struct_field(items["values"], value) if isinstance(value, str) else value
            for name, value in columns.items()})

    def sponsors(self):
        lead = self.field("sponsorCollaboratorsModule", "leadSponsor")
        collaborators = self.items(self.field("sponsorCollaboratorsModule", "collaborators"))
        values = collaborators["values"]
        return self.sponsor_rows((pc.struct_field(lead, "name"), pc.struct_field(lead, "class")),
                                 (collaborators["_record"], pc.struct_field(values, "name"),
                                  pc.struct_field(values, "class")))

    def outcomes(self):
        parts = []
        for kind in ("primary", "secondary", "other"):
            items = self.items(self.field("outcomesModule", f"{kind}Outcomes"))
            values = items["values"]
            parts.append((items["_record"], {
                "kind": pa.repeat(pa.scalar(kind, STR), len(values)), "measure": pc.struct_field(values, "measure"),
                "time_frame": pc.struct_field(values, "timeFrame"),
                "description": pc.struct_field(values, "description")}))
        return self.interleaved(parts)

    def ages(self, field):
        return self.mapped(self.field("eligibilityModule", field), parse_age_years, pa.float64())

"""Checks of the values a batch's records hold before the store keeps them.

The parsers build their tables against the Parquet schemas (etl/schemas.py), so a value that does
not fit them makes its record a ParseError there. `validation_flags` marks values that fit the schema
but not the world (a completion date in 2190, a negative enrollment, an unknown status): the record is
kept with its raw values and the flags say what is wrong, as `check:column` strings, so nothing is
coerced silently.
"""
import datetime as dt
import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trials.etl.vocab import VOCABULARIES

# Posted dates are the registry's own bookkeeping: never after the fetch (one day of clock skew).
POSTED_SLACK = dt.timedelta(days=1)
# Planned dates lie ahead, but a trial planned to end more than 20 years on is a typo (2190 for 2019).
PLANNED_HORIZON_YEARS = 20
POSTED_DATES = ("first_posted", "last_update_posted")
PLANNED_DATES = ("start_date", "primary_completion_date", "completion_date")

# Coded column (`table.column`, or a `trials` column) -> its vocabulary in etl/vocab.py.
# The build makes sql/tests/accepted_values.sql check these columns in the warehouse too (flagged rows skipped).
VOCABULARY_COLUMNS = {
    "study_type": "study_type", "phases": "phase", "overall_status": "overall_status",
    "enrollment_type": "enrollment_type", "allocation": "allocation",
    "intervention_model": "intervention_model", "primary_purpose": "primary_purpose",
    "masking": "masking", "sex": "sex", "lead_sponsor_class": "agency_class",
    "start_date_precision": "date_precision", "primary_completion_date_precision": "date_precision",
    "completion_date_precision": "date_precision",
    "sponsors.agency_class": "agency_class", "sponsors.role": "sponsor_role",
    "sites.status": "site_status", "interventions.intervention_type": "intervention_type",
    "arm_groups.arm_type": "arm_type", "outcomes.kind": "outcome_kind",
}
_ACCEPTED = {column: pa.array(VOCABULARIES[vocab], pa.string()) for column, vocab in VOCABULARY_COLUMNS.items()}


def validation_flags(tables, fetched_at):
    """What is implausible in each record of a batch's tables (`Rows.tables`), as sorted lists of
    `check:column` strings, one per `trials` row; `fetched_at` holds each record position's fetch time.

    Returns (the flags as an Arrow list array, a numpy bool array: is the row flagged).
    """
    trials = tables["trials"]
    positions = trials["_record"].to_numpy()
    found = {}  # flag -> bool per trials row

    def flag(name, table, rows):
        """Flag the records that own these rows (a numpy bool per row of `table`) with `name`."""
        owners = np.searchsorted(positions, tables[table]["_record"].to_numpy()[rows])
        if len(owners):
            found.setdefault(name, np.zeros(len(positions), bool))[owners] = True

    for column, accepted in _ACCEPTED.items():
        table, _, name = column.rpartition(".")
        values = tables[table or "trials"][name]
        rows = None
        if pa.types.is_list(values.type):
            rows = pc.list_parent_indices(values).to_numpy()
            values = pc.list_flatten(values)
        unknown = _true(pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=accepted))))
        flag(f"unknown_value:{column}", table or "trials", unknown if rows is None else rows[unknown])

    today = _fetch_dates(fetched_at, positions)
    for columns, limit in ((POSTED_DATES, [day + POSTED_SLACK for day in today]),
                           (PLANNED_DATES, [_horizon(day) for day in today])):
        limit = pa.array(limit, pa.date32())
        for column in columns:
            flag(f"future_date:{column}", "trials", _true(pc.greater(trials[column], limit)))
    flag("negative:enrollment", "trials", _true(pc.less(trials["enrollment"], 0)))
    flag("age_range:minimum_age_years", "trials",
         _true(pc.greater(trials["minimum_age_years"], trials["maximum_age_years"])))
    sites = tables["sites"]
    # a country spelling etl/data/countries.csv lacks
    flag("unknown_value:sites.country", "sites",
         _true(pc.and_(pc.greater(pc.binary_length(sites["country"]), 0), pc.is_null(sites["country_code"]))))
    for column, bound in (("latitude", 90), ("longitude", 180)):
        flag(f"out_of_range:sites.{column}", "sites", _true(pc.greater(pc.abs(sites[column]), bound)))

    names = sorted(name for name, rows in found.items() if rows.any())
    marked = np.column_stack([found[name] for name in names]) if names else np.zeros((len(positions), 0), bool)
    _, name_of = np.nonzero(marked)  # row by row, names in sorted order
    offsets = np.concatenate([[0], np.cumsum(marked.sum(axis=1))]).astype(np.int32)
    flags = pa.ListArray.from_arrays(pa.array(offsets), pa.array([names[at] for at in name_of], pa.string()))
    return flags, marked.any(axis=1)


def _true(mask):
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _fetch_dates(fetched_at, positions):
    """The fetch date of each record position; today's for a record without a fetch time."""
    dates = {}
    for position in positions:
        moment = fetched_at[position]
        if moment not in dates:
            dates[moment] = moment.date() if isinstance(moment, dt.datetime) else dt.date.today()
    return [dates[fetched_at[position]] for position in positions]


@functools.lru_cache(maxsize=1024)
def _horizon(today):
    return today.replace(year=min(today.year + PLANNED_HORIZON_YEARS, 9999), day=min(today.day, 28))

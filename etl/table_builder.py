"""What the columnar parsers share: a batch's tables built with Arrow compute, and the records
refused on the way, each with its reason. Python sees only the distinct values a normalizer needs."""
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trials.etl.record import NCT_ID, Rejected, Rows
from trials.etl.schemas import STR
from trials.etl.vocab import join_phases, parse_date


class TableBuilder:
    """Builds the normalized tables of a batch of `count` records; a subclass gives `trials()` (the
    trials table's columns) and `children()` (table -> columns), `_record` among them."""

    def __init__(self, count, rejected):
        self.count = count
        self.rejected = rejected

    def require_ids(self, nct_id):
        """`nct_id`, one per record; a record without a well-formed one is refused."""
        self.nct_id = nct_id
        well_formed = pc.fill_null(pc.match_substring_regex(nct_id, NCT_ID.pattern), False)
        for at in np.flatnonzero(~well_formed.to_numpy(zero_copy_only=False)):
            self.reject(at, f"missing or malformed NCT id: {nct_id[at].as_py()!r}")

    def reject(self, at, reason):
        self.rejected.setdefault(int(at), Rejected("parse", reason))

    def rows(self):
        tables = {"trials": {**self.trials(), "_record": pa.array(np.arange(self.count, dtype=np.int64))}}
        tables.update(self.children())
        return Rows.of(tables, self.rejected)

    def owned(self, record, columns):
        """A child table's columns with the `nct_id` and `_record` of the record each row belongs to."""
        return {"nct_id": self.nct_id.take(record), **columns, "_record": pa.array(record, pa.int64())}

    def documents(self, kind, bodies):
        """The documents table: each record's body as stored (UTF-8), its format `json` or `xml`."""
        kept = [body if isinstance(body, bytes) and at not in self.rejected else b"" for at, body in enumerate(bodies)]
        offsets = np.zeros(len(kept) + 1, np.int64)
        np.cumsum([len(body) for body in kept], out=offsets[1:])
        valid = pa.array([len(body) > 0 for body in kept]).buffers()[1]
        body = pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(kept), [valid, pa.py_buffer(offsets),
                                                                             pa.py_buffer(b"".join(kept))])
        try:
            text = body.cast(pa.large_string())
        except pa.ArrowInvalid:  # text that is not UTF-8 in a field no table reads (the readers skip it)
            for at, one in enumerate(kept):
                try:
                    one.decode()
                except UnicodeDecodeError:
                    self.rejected.setdefault(at, Rejected("parse", f"invalid {kind.upper()}: a string that is not UTF-8"))
                    kept[at] = b""
            return self.documents(kind, kept)
        return self.owned(np.arange(self.count), {"format": pa.repeat(pa.scalar(kind, STR), self.count),
                                                  "body": text.cast(STR)})

    @staticmethod
    def ordinals(record):
        """Each row's place among its record's rows, from 1 (`record` ascending)."""
        return pa.array(np.arange(len(record)) - np.searchsorted(record, record) + 1, pa.int64())

    def interleaved(self, parts):
        """One child table from several (record, columns) parts, each record's rows together, in part
        order (the sort is stable)."""
        record = np.concatenate([part_record for part_record, _ in parts]).astype(np.int64)
        order = np.argsort(record, kind="stable")
        return self.owned(record[order], {
            name: pa.concat_arrays([columns[name] for _, columns in parts]).take(pa.array(order))
            for name in parts[0][1]})

    def sponsor_rows(self, lead, collaborators):
        """The sponsors table: each study's lead sponsor (when it is named or classed), then its
        collaborators. `lead` is (name, class) per study, `collaborators` (record, name, class) each."""
        name, agency = lead
        leads = np.flatnonzero(pc.or_(pc.is_valid(name), pc.is_valid(agency)).to_numpy(zero_copy_only=False))
        record, names, classes = collaborators
        return self.interleaved([
            (leads, {"name": name.take(leads), "agency_class": agency.take(leads),
                     "role": pa.repeat(pa.scalar("lead", STR), len(leads))}),
            (record, {"name": names, "agency_class": classes,
                      "role": pa.repeat(pa.scalar("collaborator", STR), len(record))}),
        ])

    def dates(self, texts):
        """Date texts -> (date32 array, precision array), through `parse_date` once per distinct text."""
        parsed, indices = self.distinct(texts, parse_date, refused=(None, None))
        return (pa.array([date for date, _ in parsed], pa.date32()).take(indices),
                pa.array([precision for _, precision in parsed], STR).take(indices))

    def mapped(self, texts, normalize, arrow_type, record=None):
        """`normalize` of each text (see `distinct`) as an array of `arrow_type`."""
        parsed, indices = self.distinct(texts, normalize, record=record)
        return pa.array(parsed, arrow_type).take(indices)

    def distinct(self, texts, normalize, refused=None, record=None):
        """`normalize` applied once to each distinct text of `texts`: (results, the index of each
        text's result). A text it refuses (ValueError) gets `refused` and makes the record it belongs
        to a ParseError (`record[i]` for text i, or record i when texts are one per record)."""
        encoded = texts.dictionary_encode()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        results = []
        for code, text in enumerate(encoded.dictionary.to_pylist()):
            try:
                results.append(normalize(text))
            except ValueError as exc:
                results.append(refused)
                for at in np.flatnonzero(codes == code):
                    self.reject(at if record is None else record[at], f"invalid study: ValueError: {exc}")
        return results, encoded.indices

    def joined_phases(self, phases):
        """`PHASE1/PHASE2` from the phase lists; a null phase in one makes its record a ParseError."""
        joined = {}
        column = []
        for at, listed in enumerate(phases.to_pylist()):
            key = tuple(listed)
            if None in key:
                self.reject(at, "invalid study: a null phase")
            elif key not in joined:
                joined[key] = join_phases(listed)
            column.append(joined.get(key))
        return pa.array(column, STR)

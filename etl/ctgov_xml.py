"""Parser of legacy ClinicalTrials.gov `<clinical_study>` XML documents into the normalized tables.

Columnar, like the API's parser (etl/ctgov_json.py): the documents of a batch go into one `<batch>`
element that xml2arrow (Rust, quick-xml) reads at once into the Arrow tables etl/data/clinical_study.yaml
describes, and the normalized tables are built from those with Arrow compute. Legacy values map to the
API v2 enums (etl/legacy_vocab.py), and dates and ages go through the API's normalizers, once per
distinct value, so a trial looks the same in the warehouse whichever way it arrived. Text is folded to
single spaces: the XML hard-wraps its text blocks, and mirror pages fold them to one line. Mirror
pages (etl/mirror_page.py) are read as the `<clinical_study>` documents they rebuild.
"""
import functools
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from w3lib.encoding import html_body_declared_encoding, read_bom
from xml2arrow import XmlToArrowParser

from trials.etl.table_builder import TableBuilder
from trials.etl.legacy_vocab import legacy_enum, legacy_masking, legacy_phases, legacy_study_type, legacy_yes_no
from trials.etl.record import Rejected, read_halving
from trials.etl.schemas import STR
from trials.etl.vocab import country_code, parse_age_years

# xml2arrow expands only the five predefined entities and character references: a DOCTYPE's entities
# (XXE, entity bombs) are never expanded, and a DOCTYPE is refused outright below.
_READER = XmlToArrowParser(Path(__file__).with_name("data") / "clinical_study.yaml")


def read_xml_studies(bodies):
    """The legacy XML documents of a batch -> Rows; a body that cannot become a record is in `rows.rejected`."""
    return read_documents([study_document(body) for body in bodies])


# What may precede the root element: whitespace, the XML declaration, comments, processing instructions.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_ROOT_TAG = re.compile(rb"<([^\s/>]*)")
_NAME, _ROOT, _END = b"clinical_study", b"<clinical_study", b"</clinical_study"
_END_TAG = re.compile(rb"</clinical_study\s*>")
# Characters XML 1.0 does not allow in a document (the reader below would keep them).
_CONTROLS = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))


def study_document(body):
    """A legacy XML document as its `<clinical_study>` element, UTF-8 bytes, ready to be read in a
    batch; Rejected when it is not one such document.

    A document holds one `<clinical_study` and one `</clinical_study>`, and starts with the one and ends
    with the other; the reader checks that each end tag closes the element last opened. So each
    document of a batch the reader accepts is one balanced element, that cannot reach into its
    neighbours, and the batch's count of studies is checked all the same."""
    try:
        body = _utf8(body)
    except (LookupError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        return Rejected("parse", f"invalid XML: {exc}")
    if len(body.translate(None, _CONTROLS)) != len(body):
        return Rejected("parse", "invalid XML: a control character, which XML does not allow")
    element = body[_PROLOG.match(body).end():].rstrip()
    if element.startswith(b"<!DOCTYPE"):
        return Rejected("parse", "refused: the XML declares a DOCTYPE (legacy study XML has none; "
                                 "entities stay unexpanded)")
    root = _ROOT_TAG.match(element)
    if root is None:
        return Rejected("parse", "invalid XML: no root element")
    if root.group(1) != b"clinical_study":
        return Rejected("parse", f"not a legacy study: root element {root.group(1).decode(errors='replace')!r}, "
                                 "expected clinical_study")
    # The element starts with its tag, so when it ends with its end tag and the name occurs twice in
    # all, those two are the one tag of each kind: one pass over the bytes instead of two.
    one_of_each = element.count(_NAME) == 2 or element.count(_ROOT) == 1 and element.count(_END) == 1
    if not one_of_each or not _END_TAG.fullmatch(element, element.rfind(_END)):
        return Rejected("parse", "invalid XML: not one complete <clinical_study> element (cut short?)")
    return element


def _utf8(body):
    """The document as UTF-8: a byte-order mark wins over the declared encoding, which wins over UTF-8
    (as w3lib, Scrapy's, reads them)."""
    encoding, bom = read_bom(body)
    if bom:
        body = body[len(bom):]
    else:
        encoding = html_body_declared_encoding(body) or "utf-8"
    if encoding != "utf-8":
        return body.decode(encoding).encode("utf-8")
    if not body.isascii():
        body.decode("utf-8")  # only to check it (the reader does not check what it skips)
    return body


def read_documents(documents):
    """Rows of a batch given as `<clinical_study>` elements (UTF-8 bytes), or Rejected for records
    refused before they got this far."""
    rejected = {at: document for at, document in enumerate(documents) if isinstance(document, Rejected)}
    kept = np.array([at for at in range(len(documents)) if at not in rejected], np.int64)

    def refused(first, exc):
        rejected[int(kept[first])] = Rejected("parse", f"invalid XML: {exc}")
    # xml2arrow's errors, and a TypeError it raises for bytes that are not UTF-8
    parts = [_positioned(read, kept[first:]) for first, read in
             read_halving(_read, [documents[at] for at in kept], refused, Exception) if read is not None]
    # (A batch whose documents were all refused reads an empty one, for the tables' columns.)
    parts = parts or [_positioned(_read([]), kept)]
    tables = {name: pa.concat_tables([part[name] for part in parts]) for name in _TABLES}
    return _Tables(tables, documents, rejected).rows()


# Elements read into tables of their own (xml2arrow's `children` cannot hold their repeated children).
_NESTED = ("id_info", "sponsors", "condition_browse")
_TABLES = ("clinical_study", "children", *_NESTED)


def _read(documents):
    """xml2arrow's tables (record batches) of the documents; raises when the reader refuses them."""
    read = _READER.parse(b"".join([b"<batch>", *documents, b"</batch>"]))
    if read["clinical_study"].num_rows != len(documents):
        raise ValueError(f"{read['clinical_study'].num_rows} <clinical_study> elements, not {len(documents)}")
    return read


def _positioned(read, positions):
    """A read's tables, each `<study>` (a document's place in the read) the record's position in the batch."""
    part = {}
    for name in _TABLES:
        table = pa.Table.from_batches([read[name]])
        study = table["<study>"].to_numpy().astype(np.int64)
        part[name] = table.set_column(0, "<study>", pa.array(positions[study]))
    return part


# Groups whose own text would be a value where the format has only elements.
_GROUPS = ("study_design_info", "eligibility", "location", "location/facility", "location/facility/address")


def fold(texts):
    """Each text with every run of whitespace one space and none at the ends (as `" ".join(text.split())`),
    null for no text.

    On the texts' bytes at once, with numpy: the text blocks are half of a record's bytes, and Arrow's
    own ways (a regex, or splitting and joining) take as long as reading the XML. ASCII whitespace is
    never part of a longer UTF-8 sequence; the few texts that may hold other whitespace (a no-break
    space, say) are folded again by Python.
    """
    count = len(texts)
    offsets = np.frombuffer(texts.buffers()[1], np.int32)[texts.offset:texts.offset + count + 1]
    data = np.frombuffer(texts.buffers()[2], np.uint8)[offsets[0]:offsets[-1]] if count else np.empty(0, np.uint8)
    offsets = offsets - offsets[0] if count else np.zeros(1, np.int32)
    starts, ends = offsets[:-1], offsets[1:]
    filled = starts < ends
    space = (data == 32) | ((data >= 9) & (data <= 13))
    # A space is dropped after a space and at a text's start, so a run keeps its first byte...
    keep = np.empty(len(data), bool)
    keep[:1] = True
    np.logical_not(space[1:] & space[:-1], out=keep[1:])
    keep[starts[filled]] &= ~space[starts[filled]]
    # ...and that goes too where the run ends the text: walk back to it from the text's last byte.
    last = ends[filled] - 1
    trailing, first = last[space[last]], starts[filled][space[last]]
    while len(trailing):
        back = trailing - 1
        more = (back >= first) & space[np.maximum(back, 0)]
        keep[trailing[~more]] = False
        trailing, first = back[more], first[more]
    folded_offsets = (offsets - np.searchsorted(np.flatnonzero(~keep), offsets)).astype(np.int32)
    valid = texts.is_valid().to_numpy(zero_copy_only=False) & (np.diff(folded_offsets) > 0)
    folded = pa.StringArray.from_buffers(count, pa.py_buffer(folded_offsets),
                                         pa.py_buffer(data[keep].tobytes().translate(_ONE_SPACE)),
                                         null_bitmap=pa.array(valid).buffers()[1])
    other = np.unique(np.searchsorted(offsets, _other_spaces(data), side="right") - 1)
    if len(other):
        again = [fold_text(text) for text in folded.take(other).to_pylist()]
        mask = np.zeros(count, bool)
        mask[other] = True
        folded = pc.replace_with_mask(folded, pa.array(mask), pa.array(again, STR))
    return folded


def fold_text(text):
    """One text folded as `fold` folds texts, in Python: None for no text."""
    return " ".join(text.split()) or None if text else None


# Each kept ASCII whitespace byte as a space: translating the kept bytes costs less than numpy on all.
_ONE_SPACE = bytes.maketrans(b"\t\n\v\f\r", b"     ")


def _other_spaces(data):
    """Where in UTF-8 bytes Python's other whitespace starts (U+00A0, U+2009 and the like). Its lead
    bytes also start common punctuation (U+2013, U+2019), so the bytes after them are compared too."""
    lead = np.flatnonzero(data >= 0xC2)
    last = len(data) - 1
    codes = data[lead].astype(np.int32) << 16  # the lead byte and the two after it (the data's last repeated)
    codes |= data[np.minimum(lead + 1, last)].astype(np.int32) << 8
    codes |= data[np.minimum(lead + 2, last)]
    return lead[np.isin(codes, _OTHER_SPACES_3) | np.isin(codes >> 8, _OTHER_SPACES_2)]


_OTHER_SPACES = [char.encode() for char in map(chr, range(0x80, 0x10000)) if char.isspace()]
_OTHER_SPACES_2 = [int.from_bytes(code, "big") for code in _OTHER_SPACES if len(code) == 2]
_OTHER_SPACES_3 = [int.from_bytes(code, "big") for code in _OTHER_SPACES if len(code) == 3]


class _Tables(TableBuilder):
    """Builds the normalized tables from xml2arrow's: `children` has a row per child element of a
    study, with values only in that element's fields."""

    def __init__(self, tables, documents, rejected):
        super().__init__(len(documents), rejected)
        self.tables = tables
        self.documents_read = documents
        # Field -> the rows that hold it (of its table), and its texts there folded: all folded at
        # once, in one pass over the batch's text, however many fields there are.
        self.held, self.record, values = {}, {}, []
        for table in _TABLES[1:]:
            record = tables[table]["<study>"].to_numpy()
            for field in tables[table].column_names[2:]:
                column = tables[table][field].combine_chunks()
                self.held[field] = np.flatnonzero(column.is_valid().to_numpy(zero_copy_only=False))
                self.record[field] = record[self.held[field]]
                values.append(column.drop_null())
        folded = fold(pa.concat_arrays(values))
        self.folded = {}
        for field in self.held:
            self.folded[field], folded = folded[:len(self.held[field])], folded[len(self.held[field]):]
        for group in _GROUPS:
            for at in self.texts(group)[1]:
                self.reject(at, f"invalid study: text where elements are expected: <{group}>")
        self.require_ids(self.first("id_info/nct_id"))

    def texts(self, field):
        """A field's folded texts that are not empty, and the record of each."""
        present = self.folded[field].is_valid().to_numpy(zero_copy_only=False)
        return self.folded[field].filter(present), self.record[field][present]

    def at_rows(self, field, rows):
        """A field's folded texts at `rows` of its table (sorted), null where it has none."""
        held = self.held[field]
        if not len(held):
            return pa.nulls(len(rows), STR)
        found = np.minimum(np.searchsorted(held, rows), len(held) - 1)
        return self.folded[field].take(pa.array(found, mask=held[found] != rows))

    def first(self, field, fallback=None):
        """Per record, the first folded text of `field` (else of `fallback`); null where it has none."""
        texts, record = self.texts(field)
        owners, at = np.unique(record, return_index=True)
        index = np.full(self.count, -1, np.int64)
        index[owners] = at
        column = texts.take(pa.array(index, mask=index < 0))
        return column if fallback is None else pc.coalesce(column, self.first(fallback))

    def present(self, field):
        """Per record, whether `field` holds any text at all."""
        has = np.zeros(self.count, bool)
        has[self.record[field]] = True
        return has

    def enum(self, field, normalize=legacy_enum):
        return self.mapped(self.first(field), normalize, STR)

    def trials(self):
        dates = {}
        for column, field, fallback in (("start_date", "start_date", None),
                                        ("primary_completion_date", "primary_completion_date", None),
                                        ("completion_date", "completion_date", None),
                                        # Records last processed before 2017 name these two differently.
                                        ("first_posted", "study_first_posted", "firstreceived_date"),
                                        ("last_update_posted", "last_update_posted", "lastchanged_date")):
            dates[column], dates[f"{column}_precision"] = self.dates(self.first(field, fallback))
        study_type = self.enum("study_type", legacy_study_type)
        phases = self.phases(study_type)
        enrollment = self.mapped(self.first("enrollment"), _count, pa.int64())
        return {
            "nct_id": self.nct_id,
            "brief_title": self.first("brief_title"),
            "official_title": self.first("official_title"),
            "acronym": self.first("acronym"),
            "study_type": study_type,
            "phase": self.joined_phases(phases),
            "phases": phases,
            "overall_status": self.enum("overall_status"),
            "why_stopped": self.first("why_stopped"),
            **{column: dates[column] for column in (
                "start_date", "start_date_precision", "primary_completion_date",
                "primary_completion_date_precision", "completion_date", "completion_date_precision",
                "first_posted", "last_update_posted")},
            "enrollment": enrollment,
            "enrollment_type": pc.if_else(pc.is_valid(enrollment), self.enum("enrollment/@type"),
                                          pa.scalar(None, STR)),
            "allocation": self.enum("study_design_info/allocation"),
            "intervention_model": self.enum("study_design_info/intervention_model"),
            "primary_purpose": self.enum("study_design_info/primary_purpose"),
            "masking": self.enum("study_design_info/masking", legacy_masking),
            "sex": self.enum("eligibility/gender"),
            "minimum_age_years": self.mapped(self.first("eligibility/minimum_age"), parse_age_years, pa.float64()),
            "maximum_age_years": self.mapped(self.first("eligibility/maximum_age"), parse_age_years, pa.float64()),
            "healthy_volunteers": self.mapped(self.first("eligibility/healthy_volunteers"), legacy_yes_no, pa.bool_()),
            "eligibility_criteria": self.first("eligibility/criteria/textblock"),
            "brief_summary": self.first("brief_summary/textblock"),
            "detailed_description": self.first("detailed_description/textblock"),
            "lead_sponsor": self.lead[0],
            "lead_sponsor_class": self.lead[1],
            # Results are posted with one of these dates (results_first_posted since 2017).
            "has_results": pa.array(self.present("results_first_posted") | self.present("firstreceived_results_date")),
        }

    def phases(self, study_type):
        """The phase lists; as in API v2, only interventional trials have a phase (legacy says N/A)."""
        listed = {}
        column = []
        for phase, kind in zip(self.first("phase").to_pylist(), study_type.to_pylist()):
            if (phase, kind) not in listed:
                phases = legacy_phases(phase)
                listed[phase, kind] = [] if phases == ["NA"] and kind != "INTERVENTIONAL" else phases
            column.append(listed[phase, kind])
        return pa.array(column, pa.list_(STR))

    def children(self):
        return {
            "conditions": self.listed("condition", condition="condition"),
            "keywords": self.listed("keyword", keyword="keyword"),
            "condition_mesh_terms": self.listed("condition_browse/mesh_term", mesh_id=None,
                                                mesh_term="condition_browse/mesh_term"),
            "interventions": self.items("intervention", ("intervention_type",), intervention_type="intervention_type",
                                        name="intervention_name", description="description"),
            "arm_groups": self.items("arm_group", ("arm_type",), label="arm_group_label", arm_type="arm_group_type",
                                     description="description"),
            "sponsors": self.sponsors(),
            "sites": self.sites(),
            "secondary_ids": self.listed("id_info/secondary_id", secondary_id="id_info/secondary_id",
                                         id_type=None, domain=None),
            "outcomes": self.interleaved([self.outcomes(kind) for kind in ("primary", "secondary", "other")]),
            "documents": self.documents("xml", self.documents_read),
        }

    def listed(self, field, **columns):
        """A child table of a repeated element's texts: each column is `field`, or None (null)."""
        texts, record = self.texts(field)
        return self.owned(record, {name: texts if value else pa.nulls(len(texts), STR)
                                   for name, value in columns.items()})

    def rows_of(self, element, fields):
        """The rows of the `element`s that hold any of `fields` (under it), and their records."""
        paths = [f"{element}/{field}" for field in fields]
        rows, first = np.unique(np.concatenate([self.held[path] for path in paths]), return_index=True)
        return rows, np.concatenate([self.record[path] for path in paths])[first]

    def items(self, element, enums=(), **columns):
        """A child table of a repeated element's rows: column -> the element's child it is, folded;
        the columns in `enums` as legacy enums."""
        rows, record = self.rows_of(element, columns.values())
        return self.owned(record, {
            name: self.mapped(texts, legacy_enum, STR) if name in enums else texts
            for name, texts in ((name, self.at_rows(f"{element}/{field}", rows)) for name, field in columns.items())})

    def outcomes(self, kind):
        element = f"{kind}_outcome"
        fields = ("measure", "time_frame", "description")
        rows, record = self.rows_of(element, fields)
        return record, {"kind": pa.repeat(pa.scalar(kind, STR), len(rows)),
                        **{field: self.at_rows(f"{element}/{field}", rows) for field in fields}}

    def sites(self):
        fields = ("status", "facility/name", "facility/address/city", "facility/address/state",
                  "facility/address/zip", "facility/address/country")
        rows, record = self.rows_of("location", fields)
        site = {field: self.at_rows(f"location/{field}", rows) for field in fields}
        country = site["facility/address/country"]
        return self.owned(record, {
            "site_id": self.ordinals(record), "facility": site["facility/name"], "city": site["facility/address/city"],
            "state": site["facility/address/state"], "zip": site["facility/address/zip"], "country": country,
            "country_code": self.mapped(country, country_code, STR, record),
            "status": self.mapped(site["status"], legacy_enum, STR, record),
            "latitude": pa.nulls(len(rows), pa.float64()), "longitude": pa.nulls(len(rows), pa.float64())})

    @functools.cached_property
    def lead(self):
        """(name, class) of each study's lead sponsor: the trials table and the sponsors table hold it."""
        return self.first("sponsors/lead_sponsor/agency"), self.enum("sponsors/lead_sponsor/agency_class")

    def sponsors(self):
        rows, record = self.rows_of("sponsors/collaborator", ("agency", "agency_class"))
        return self.sponsor_rows(self.lead, (record, self.at_rows("sponsors/collaborator/agency", rows),
                                             self.mapped(self.at_rows("sponsors/collaborator/agency_class", rows),
                                                         legacy_enum, STR, record)))


def _count(text):
    """An enrollment count (`40`, `40.0`) as an int."""
    if text is None:
        return None
    number = float(text)
    if not -2 ** 63 <= number < 2 ** 63:  # also NaN
        raise ValueError(f"enrollment: not a count: {text!r}")
    return int(number)

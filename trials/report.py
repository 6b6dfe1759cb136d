"""`trials report`: one self-contained, interactive HTML page over the warehouse, DIR/report/index.html.

The page carries one row per trial (as JSON inside the page) and trials/report.js, which draws every
panel from those rows: the filters (phase, status, sponsor class, country, start year, therapeutic area)
narrow the rows and every panel, count and table is drawn again from what is left. Two panels are not
filtered: the registries side by side (every registry's registrations, not only ClinicalTrials.gov's
trials) and the runs. Nothing is fetched when the page
opens, so it works offline and can be mailed or archived; the only links are to the trials' pages on
the registry. Each label has one spelling, made here (`phase_label`, `status_label`).
"""
import datetime as dt
import json
import os
from html import escape
from importlib.resources import files
from pathlib import Path

from trials.etl.vocab import PHASE_ORDER
from trials.query import connect

NO_PHASE = "No phase"
PHASE_NAMES = {"NA": "Not applicable", "EARLY_PHASE1": "Early phase 1"}

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; background: #f6f7f9; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { font-size: 18px; margin: 0 0 4px; } h3 { font-size: 14px; margin: 14px 0 6px; }
section, .filters { background: #fff; border: 1px solid #e3e5e8; border-radius: 6px; padding: 16px 20px; margin: 16px 0; }
.note { color: #555; margin: 0 0 10px; }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }
.kpi { background: #fff; border: 1px solid #e3e5e8; border-radius: 6px; padding: 8px 14px; min-width: 100px; }
.kpi b { display: block; font-size: 20px; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.filters fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.filters legend { font-weight: 600; margin-bottom: 4px; }
.filters .options { max-height: 140px; overflow-y: auto; border: 1px solid #eee; padding: 2px 4px; }
.filters label { display: block; font-size: 12px; overflow-wrap: anywhere; }
.filters input[type=number] { width: 70px; }
.chart-title { font-weight: 600; margin: 10px 0 4px; }
.bars .row { display: grid; grid-template-columns: minmax(120px, 34%) 1fr 64px; gap: 8px; align-items: center; margin: 2px 0; }
.bars .label { text-align: right; font-size: 12px; overflow-wrap: anywhere; }
.bars .track { display: flex; height: 16px; background: #f1f2f4; }
.bars .value, .num { font-size: 12px; font-variant-numeric: tabular-nums; }
.mark { display: block; height: 100%; min-width: 1px; }
.columns { display: flex; align-items: flex-end; gap: 2px; height: 180px; border-bottom: 1px solid #999; }
.columns .col { flex: 1; display: flex; flex-direction: column; justify-content: flex-end; height: 100%; min-width: 0; }
.columns .mark { background: #4e79a7; }
.axis { display: flex; gap: 2px; font-size: 10px; } .axis span { flex: 1; text-align: center; overflow: visible; white-space: nowrap; min-width: 0; }
.heat td.cell { text-align: center; font-size: 11px; } .heat th { font-size: 11px; font-weight: 600; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; vertical-align: top; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; }
table.sortable th { cursor: pointer; user-select: none; } th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
details { margin-top: 10px; } summary { cursor: pointer; color: #2a5db0; }
.table-tools { margin: 6px 0; display: flex; gap: 12px; align-items: center; font-size: 12px; }
.empty { color: #777; font-style: italic; }
"""


def phase_label(phase):
    """`PHASE1/PHASE2` -> `Phase 1/2`, `NA` -> `Not applicable`, none -> `No phase`: the page's one spelling."""
    if phase is None:
        return NO_PHASE
    if phase in PHASE_NAMES:
        return PHASE_NAMES[phase]
    return "Phase " + "/".join(p.replace("PHASE", "") for p in phase.split("/"))


def phase_key(phase):
    """Registry order, combined phases after their first one, trials without a phase last."""
    return (99,) if phase is None else tuple(PHASE_ORDER.get(p, 98) for p in phase.split("/"))


def status_label(status):
    """`ACTIVE_NOT_RECRUITING` -> `Active, not recruiting`."""
    if status is None:
        return "No status"
    text = status.replace("_", " ").capitalize()
    return text.replace("Active not", "Active, not")


class Coder:
    """Values -> small integers, so repeated labels are written once in the page."""

    def __init__(self, values=()):
        self.values, self.index = [], {}
        for value in values:
            self(value)

    def __call__(self, value):
        if value is None:
            return None
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


def gather(con):
    """Everything the page shows: the trials as rows of small values, and the runs."""
    def q(sql):
        return con.execute(sql).fetchall()

    rows = q("""
        select t.nct_id, t.brief_title, t.phase, t.overall_status, t.lead_sponsor_class, s.lead_sponsor,
               year(t.start_date), t.primary_completion_date::varchar, cv.results_due_date::varchar,
               cv.were_results_reported, cv.results_overdue, cv.is_overdue, cv.is_stale, t.why_stopped,
               cv.number_of_sites, cv.as_of_date::varchar
        from trials as t
        join calculated_values as cv using (nct_id)
        left join (select nct_id, min(canonical_name) as lead_sponsor from sponsors where role = 'lead' group by 1)
            as s using (nct_id)
        order by t.nct_id""")
    country_name = dict(q("select country_code, country from mart_sites_by_country where country_code is not null"))
    countries = {nct_id: [(country_name.get(code, name), sites) for code, name, sites in found] for nct_id, found in q(
        "select nct_id, list((country_code, country, n) order by country_code) from (select nct_id, country_code, "
        "any_value(country) as country, count(*) as n from sites where country is not null group by all) group by 1")}
    mesh = dict(q("select nct_id, list(distinct mesh_term order by mesh_term) from condition_mesh_terms group by 1"))
    areas = dict(q("select nct_id, list(area order by area) from therapeutic_areas group by 1"))
    def by_count(sql):
        return [value for (value,) in q(sql)]

    phases = Coder(phase_label(p) for p in sorted({r[2] for r in rows}, key=phase_key))
    statuses = Coder(status_label(s) for s in by_count(
        "select overall_status from trials group by 1 order by count(*) desc, 1"))
    classes = Coder(by_count("select lead_sponsor_class from trials where lead_sponsor_class is not null "
                             "group by 1 order by count(*) desc, 1"))
    sponsors, places, terms = Coder(), Coder(sorted({c for found in countries.values() for c, _ in found})), Coder()
    area_names = Coder(by_count("select area from therapeutic_areas group by 1 order by count(*) desc, 1"))
    trials = []
    for (nct_id, title, phase, status, cls, sponsor, start_year, completion, due, reported, results_overdue,
         overdue, stale, why_stopped, sites, as_of) in rows:
        trials.append({
            "id": nct_id, "title": title, "ph": phases(phase_label(phase)), "st": statuses(status_label(status)),
            "cl": classes(cls), "sp": sponsors(sponsor), "y": start_year, "pc": completion, "due": due,
            "rep": reported, "ro": results_overdue, "od": overdue, "stale": stale, "why": why_stopped,
            "n": sites, "c": [[places(c), n] for c, n in countries.get(nct_id, [])],
            "m": [terms(t) for t in mesh.get(nct_id, [])], "a": [area_names(a) for a in areas.get(nct_id, [])],
            "asof": as_of,
        })
    runs = q("select r.run_id, r.source, strftime(r.finished_at at time zone 'UTC', '%Y-%m-%d %H:%M'), "
             "r.as_of::varchar, r.fetched, r.new, r.changed, r.unchanged, count(q.run_id), len(r.errors) "
             "from runs as r left join quarantine as q using (run_id) group by all order by r.run_id")
    return {
        "dims": {"phase": phases.values, "status": statuses.values, "class": classes.values,
                 "sponsor": sponsors.values, "country": places.values, "mesh": terms.values, "area": area_names.values},
        "trials": trials,
        "runs": [list(r) for r in runs],
        "registries": [list(r) for r in q(REGISTRIES)],
        "reasons": [list(r) for r in q("select stage, reason, count(*) from quarantine group by all "
                                       "order by 3 desc, 2 limit 10")],
        "freshness": list(q("select max(last_update_posted)::varchar, (select max(as_of)::varchar from runs), "
                            "(select strftime(max(finished_at) at time zone 'UTC', '%Y-%m-%d %H:%M UTC') "
                            "from runs) from trials")[0]),
    }


# Per registry: its registrations, the distinct trials they register (trial_identities' keys), the trials
# counted under it when each trial counts once (its preferred registration), and of its trials those also
# registered in another registry.
REGISTRIES = """
    with keyed as (
        select i.registry, i.trial_key, i.is_preferred,
               count(distinct i.registry) over (partition by i.trial_key) as registries
        from trial_identities as i
    )
    select registry, count(*) as registrations, count(distinct trial_key) as trials,
           count(*) filter (where is_preferred) as counted_here,
           count(distinct trial_key) filter (where registries > 1) as also_elsewhere
    from keyed
    group by 1
    order by trials desc, registry"""


def _json_for_script(value):
    """JSON that cannot end the <script> element it sits in."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render(data, generated_at):
    last_update, as_of, last_run = data["freshness"]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>trials report</title><style>{STYLE}</style></head><body><main>"
        "<h1>Clinical trials in the warehouse</h1>"
        f'<p class="note">Generated {escape(generated_at)} from the warehouse. The data describes the registry as '
        f'of {escape(as_of or "unknown")} (latest update in it: {escape(last_update or "none")}; last run finished: '
        f'{escape(last_run or "never")}). Overdue and stale are measured against that date, not today.</p>'
        '<form class="filters" id="filters" aria-label="Filters"></form>'
        '<div class="kpis" id="kpis"></div><div id="panels"></div>'
        f'<script type="application/json" id="data">{_json_for_script(data)}</script>'
        f"<script>{files('trials').joinpath('report.js').read_text(encoding='utf-8')}</script>"
        "</main></body></html>\n")


def write_report(data_dir):
    """Write DIR/report/index.html (atomically) and return its path."""
    con = connect(data_dir)
    try:
        data = gather(con)
    finally:
        con.close()
    out = Path(data_dir) / "report" / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".html.tmp")
    generated_at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    tmp.write_text(render(data, generated_at), encoding="utf-8")
    os.replace(tmp, out)
    return out

"""`trials report`: one self-contained HTML page of charts over the warehouse, DIR/report/index.html.

Styles are inline and the charts are SVG drawn here (trials/charts.py), so the file opens offline,
can be mailed or archived, and shows exactly the numbers of the warehouse it was made from.
"""
import datetime as dt
import os
from html import escape
from pathlib import Path

from trials.etl.vocab import PHASE_ORDER
from trials import charts
from trials.query import connect

NO_PHASE = "No phase"
TOP_SPONSORS = 15
TOP_COUNTRIES = 25
TOP_CONDITIONS = 12

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; background: #f6f7f9; }
main { max-width: 820px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { font-size: 18px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
section { background: #fff; border: 1px solid #e3e5e8; border-radius: 6px; padding: 16px 20px; margin: 16px 0; }
.note { color: #666; margin: 0 0 10px; }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }
.kpi { background: #fff; border: 1px solid #e3e5e8; border-radius: 6px; padding: 8px 14px; min-width: 100px; }
.kpi b { display: block; font-size: 20px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg .label { font-size: 12px; fill: #333; } svg .small { font-size: 10px; }
svg .value { font-size: 11px; fill: #333; } svg .inverse { fill: #fff; }
svg .axis { stroke: #999; }
.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; } td.n, th.n { text-align: right; }
"""


def phase_key(phase):
    """Registry order, combined phases after their first one, trials without a phase last."""
    if phase == NO_PHASE:
        return (99,)
    return tuple(PHASE_ORDER.get(p, 98) for p in phase.split("/"))


def phase_heading(phase):
    """`PHASE1/PHASE2` -> `Ph 1/2`, short enough for a column heading."""
    if phase in (NO_PHASE, "NA"):
        return "none" if phase == NO_PHASE else "N/A"
    return "Ph " + phase.replace("EARLY_PHASE1", "early 1").replace("PHASE", "")


def _grid(rows):
    """(label, series, value) rows -> {label: {series: value}}."""
    grid = {}
    for label, series, value in rows:
        grid.setdefault(label, {})[series] = value
    return grid


def gather(con):
    """Everything the page shows, as plain Python values."""
    def q(sql):
        return con.execute(sql).fetchall()

    phase_status = _grid(q(f"select coalesce(phase, '{NO_PHASE}'), overall_status, count(*) from trials group by all"))
    statuses = [s for (s,) in q("select overall_status from trials group by 1 order by count(*) desc, 1")]
    years = dict(q("select start_year, sum(trials)::bigint from mart_trials_started_by_year_phase group by 1"))
    top_conditions = [c for (c,) in q("select condition from mart_trials_by_condition_phase_status group by 1 "
                                      f"order by sum(trials) desc, 1 limit {TOP_CONDITIONS}")]
    condition_rows = q(f"select condition, coalesce(phase, '{NO_PHASE}'), sum(trials)::bigint "
                       "from mart_trials_by_condition_phase_status group by all")
    return {
        "kpis": q("select (select count(*) from trials), (select count(*) from sites), "
                  "(select count(distinct country_code) from sites), (select count(distinct name) from sponsors "
                  "where role = 'lead'), (select count(distinct condition) from conditions), "
                  "(select count(*) from runs), (select count(*) from quarantine)")[0],
        "phase_status": dict(sorted(phase_status.items(), key=lambda kv: phase_key(kv[0]))),
        "statuses": statuses,
        "years": [(y, years.get(y, 0)) for y in range(min(years), max(years) + 1)] if years else [],
        "sponsor_classes": q("select agency_class, sum(trials)::bigint from mart_sponsor_portfolio "
                             "where role = 'lead' group by 1 order by 2 desc, 1"),
        "top_sponsors": q("select sponsor, sum(trials)::bigint, agency_class from mart_sponsor_portfolio "
                          f"where role = 'lead' group by sponsor, agency_class order by 2 desc, 1 limit {TOP_SPONSORS}"),
        "countries": q("select coalesce(country || ' (' || country_code || ')', country), sites "
                       f"from mart_sites_by_country order by sites desc, country limit {TOP_COUNTRIES}"),
        "conditions": {c: {p: n for cond, p, n in condition_rows if cond == c} for c in top_conditions},
        "phases": sorted({p for _, p, _ in condition_rows}, key=phase_key),
        "freshness": q("select max(last_update_posted), max(first_posted), (select strftime(max(finished_at) at time zone 'UTC', '%Y-%m-%d %H:%M UTC') from runs) "
                       "from trials")[0],
        "runs": q("select r.run_id, r.source, strftime(r.finished_at at time zone 'UTC', '%Y-%m-%d %H:%M'), r.fetched, r.new, r.changed, r.unchanged, "
                  "count(q.run_id) as quarantined, len(r.errors) from runs as r "
                  "left join quarantine as q using (run_id) group by all order by r.run_id"),
        "reasons": q("select stage, reason, count(*) from quarantine group by all order by 3 desc, 2 limit 10"),
    }


def _section(title, note, *parts):
    return f'<section><h2>{escape(title)}</h2><p class="note">{escape(note)}</p>{"".join(parts)}</section>'


def _table(headers, rows, numeric=()):
    head = "".join(f'<th class="{"n" if i in numeric else ""}">{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="{"n" if i in numeric else ""}">{escape(str(v))}</td>'
                                    for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(data, generated_at):
    trials, sites, countries, sponsors, conditions, runs, quarantined = data["kpis"]
    kpis = "".join(f'<div class="kpi" data-kpi="{key}"><b>{value:,}</b>{escape(label)}</div>' for key, value, label in [
        ("trials", trials, "trials"), ("sites", sites, "sites"), ("countries", countries, "countries"),
        ("lead_sponsors", sponsors, "lead sponsors"), ("conditions", conditions, "conditions"),
        ("runs", runs, "runs"), ("quarantined", quarantined, "quarantined records")])
    status_colors = charts.colors(data["statuses"])
    class_colors = charts.colors([c for c, _ in data["sponsor_classes"]])
    last_update, last_posted, last_run = data["freshness"]
    quarantine_bars = [(run_id, q) for run_id, _, _, _, _, _, _, q, _ in data["runs"]]
    sections = [
        _section("Trials by phase and status", "Each bar is a phase, split by the trials' overall status.",
                 charts.stacked_hbar("phase-status", data["phase_status"], data["statuses"],
                                     "Trials by phase and status", status_colors), charts.legend(status_colors)),
        _section("Trials started per year", "Trials by the year of their (actual or anticipated) start date.",
                 charts.columns("started-per-year", data["years"], "Trials started per year")),
        _section("Lead sponsors by class", "Trials by the kind of organization leading them, then the "
                 f"{TOP_SPONSORS} lead sponsors with the most trials, colored by class.",
                 charts.hbar("sponsor-classes", [(c, n, c) for c, n in data["sponsor_classes"]],
                             "Trials by lead sponsor class", class_colors),
                 "<h3>Top lead sponsors</h3>",
                 charts.hbar("top-sponsors", data["top_sponsors"], "Top lead sponsors", class_colors),
                 charts.legend(class_colors)),
        _section("Sites per country", f"The {TOP_COUNTRIES} countries with the most trial sites.",
                 charts.hbar("sites-per-country", data["countries"], "Sites per country")),
        _section("Conditions by phase", f"Trials of the {TOP_CONDITIONS} most studied conditions, by phase.",
                 charts.heatmap("conditions-by-phase", data["conditions"], data["phases"], "Conditions by phase",
                                header=phase_heading)),
        _section("Data freshness and quarantine",
                 f"Latest registry update in the data: {last_update or 'none'}; latest first posting: "
                 f"{last_posted or 'none'}; last run finished: {last_run or 'never'}.",
                 charts.hbar("quarantine-per-run", quarantine_bars, "Quarantined records per run"),
                 _table(["run", "source", "finished (UTC)", "fetched", "new", "changed", "unchanged", "quarantined",
                         "errors"], data["runs"], numeric={3, 4, 5, 6, 7, 8}),
                 "<h3>Quarantine reasons</h3>" + (_table(["stage", "reason", "records"], data["reasons"], numeric={2})
                                                   if data["reasons"] else "<p>No record was quarantined.</p>")),
    ]
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>trials report</title><style>{STYLE}</style></head><body><main>"
            f"<h1>Clinical trials in the warehouse</h1>"
            f'<p class="note">Generated {escape(generated_at)} from the warehouse and its marts.</p>'
            f'<div class="kpis">{kpis}</div>{"".join(sections)}</main></body></html>\n')


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

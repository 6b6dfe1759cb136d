// The report's filters, panels, charts and tables, drawn from the trials in the page's JSON (trials/report.py).
// Every mark carries data-chart, data-label, (data-series) and data-value, so a reader and a test see
// the same figures; every table sorts on a click on its heading and downloads as CSV.
"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
const DIMS = DATA.dims;
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
  "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d"];
const TOP = 15, TOP_COUNTRIES = 25, TOP_TERMS = 12, TABLE_ROWS = 500;
const REGISTRY = "https://clinicaltrials.gov/study/";
const STOPPED = ["Terminated", "Withdrawn", "Suspended"];

const FILTERS = ["phase", "status", "class", "country", "area"];
const state = { phase: new Set(), status: new Set(), class: new Set(), country: new Set(), area: new Set(), from: null, to: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const fmt = (n) => Number(n).toLocaleString("en-US");
const colorOf = (names) => Object.fromEntries(names.map((n, i) => [n, PALETTE[i % PALETTE.length]]));
const STATUS_COLORS = colorOf(DIMS.status);
const CLASS_COLORS = colorOf(DIMS.class);

function count(items, keyOf) {
  const counts = new Map();
  for (const item of items) for (const key of [].concat(keyOf(item))) {
    if (key === null || key === undefined) continue;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return counts;
}

const byText = (x, y) => (x < y ? -1 : x > y ? 1 : 0);  // code-unit order, as SQL sorts

// [[key, count]] by count, most first, ties by the key's label
function ranked(counts, limit, labels) {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || byText(labels[a[0]], labels[b[0]])).slice(0, limit);
}

// ---- filters -------------------------------------------------------------------------------------

function passes(t) {
  if (state.phase.size && !state.phase.has(t.ph)) return false;
  if (state.status.size && !state.status.has(t.st)) return false;
  if (state.class.size && !state.class.has(t.cl)) return false;
  if (state.country.size && !t.c.some(([c]) => state.country.has(c))) return false;
  if (state.area.size && !t.a.some((a) => state.area.has(a))) return false;
  if (state.from !== null && !(t.y >= state.from)) return false;
  if (state.to !== null && !(t.y <= state.to)) return false;
  return true;
}

function checkboxes(name, legend, labels) {
  const box = el("div", { class: "options" });
  labels.forEach((label, i) => {
    const input = el("input", { type: "checkbox", name, value: String(i), "data-filter": name, "data-label": label });
    input.addEventListener("change", () => { input.checked ? state[name].add(i) : state[name].delete(i); update(); });
    box.append(el("label", {}, input, " " + label));
  });
  return el("fieldset", { "data-filter": name }, el("legend", { text: legend }), box);
}

function yearInput(name, label) {
  const input = el("input", { type: "number", name, "data-filter": name, min: "1900", max: "2100", step: "1" });
  input.addEventListener("input", () => {
    const value = parseInt(input.value, 10);
    state[name] = Number.isFinite(value) ? value : null;
    update();
  });
  return el("label", {}, label + " ", input);
}

function drawFilters() {
  const form = document.getElementById("filters");
  const reset = el("button", { type: "button", id: "reset", text: "Clear all filters" });
  reset.addEventListener("click", () => {
    for (const key of FILTERS) state[key].clear();
    state.from = state.to = null;
    form.querySelectorAll("input").forEach((input) => { input.checked = false; if (input.type === "number") input.value = ""; });
    update();
  });
  form.append(
    checkboxes("phase", "Phase", DIMS.phase),
    checkboxes("status", "Overall status", DIMS.status),
    checkboxes("class", "Lead sponsor class", DIMS.class),
    checkboxes("country", "Country (a site in it)", DIMS.country),
    checkboxes("area", "Therapeutic area", DIMS.area),
    el("fieldset", {}, el("legend", { text: "Start year" }), yearInput("from", "from"), el("br"), yearInput("to", "to"),
      reset),
  );
  form.addEventListener("submit", (event) => event.preventDefault());
}

// ---- charts --------------------------------------------------------------------------------------

function mark(chart, label, value, series, color, share) {
  const attrs = { class: "mark", "data-chart": chart, "data-label": label, "data-value": String(value),
    style: `width:${share}%;background:${color}`, title: `${label}${series ? ", " + series : ""}: ${fmt(value)}` };
  if (series) attrs["data-series"] = series;
  return el("span", attrs);
}

// rows: [{label, parts: [[series or null, value, color]]}]; one bar per row, split by series
function bars(chart, title, rows, legend) {
  const top = Math.max(1, ...rows.map((r) => r.parts.reduce((s, p) => s + p[1], 0)));
  const box = el("div", { class: "bars", role: "img", "aria-label": title });
  if (!rows.length) box.append(el("p", { class: "empty", text: "No trial matches the filters." }));
  for (const row of rows) {
    const total = row.parts.reduce((s, p) => s + p[1], 0);
    const track = el("span", { class: "track" });
    for (const [series, value, color] of row.parts) if (value) track.append(mark(chart, row.label, value, series, color, 100 * value / top));
    box.append(el("div", { class: "row" }, el("span", { class: "label", title: row.label, text: row.label }), track,
      el("span", { class: "value", text: fmt(total) })));
  }
  return el("div", { class: "chart", "data-chart-box": chart }, el("div", { class: "chart-title", text: title }), box,
    legend ? legendOf(legend) : null);
}

function legendOf(colors) {
  return el("ul", { class: "legend" }, ...Object.entries(colors).map(([name, color]) =>
    el("li", {}, el("span", { class: "swatch", style: `background:${color}` }), name)));
}

// rows: [[label, value]] over an ordered axis (years)
function columns(chart, title, rows) {
  const top = Math.max(1, ...rows.map((r) => r[1]));
  const plot = el("div", { class: "columns", role: "img", "aria-label": title });
  const axis = el("div", { class: "axis" });
  rows.forEach(([label, value], i) => {
    const bar = el("span", { class: "mark", "data-chart": chart, "data-label": String(label), "data-value": String(value),
      style: `height:${100 * value / top}%`, title: `${label}: ${fmt(value)}` });
    plot.append(el("div", { class: "col" }, bar));
    axis.append(el("span", { text: i % 5 === 0 || i === rows.length - 1 ? String(label) : "" }));
  });
  if (!rows.length) plot.append(el("p", { class: "empty", text: "No trial matches the filters." }));
  return el("div", { class: "chart" }, el("div", { class: "chart-title", text: title }), plot, axis);
}

// a grid of counts: rows x series, darker is more
function heatmap(chart, title, rowLabels, series, valueOf) {
  const top = Math.max(1, ...rowLabels.flatMap((r) => series.map((s) => valueOf(r, s))));
  const table = el("table", { class: "heat", role: "img", "aria-label": title },
    el("thead", {}, el("tr", {}, el("th", { text: "" }), ...series.map((s) => el("th", { text: s })))));
  const body = el("tbody");
  for (const row of rowLabels) {
    const tr = el("tr", {}, el("th", { text: row }));
    for (const s of series) {
      const value = valueOf(row, s);
      const td = el("td", { class: "cell" });
      if (value) {
        const shade = 0.15 + 0.85 * value / top;
        td.setAttribute("style", `background:rgba(78,121,167,${shade.toFixed(2)});color:${shade > 0.6 ? "#fff" : "#222"}`);
        td.append(el("span", { class: "mark-cell", "data-chart": chart, "data-label": row, "data-series": s,
          "data-value": String(value), title: `${row}, ${s}: ${fmt(value)}`, text: fmt(value) }));
      }
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  if (!rowLabels.length) return el("div", { class: "chart" }, el("div", { class: "chart-title", text: title }),
    el("p", { class: "empty", text: "No trial matches the filters." }));
  return el("div", { class: "chart" }, el("div", { class: "chart-title", text: title }), table);
}

// ---- tables --------------------------------------------------------------------------------------

function csvCell(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(columns, rows) {
  return [columns.map((c) => csvCell(c.name)), ...rows.map((r) => columns.map((c) => csvCell(c.get(r))))]
    .map((line) => line.join(",")).join("\r\n") + "\r\n";
}

// columns: [{name, get, numeric?, link?}]; rows: trials
function trialTable(id, columns, rows) {
  const sort = { column: null, descending: false };
  const table = el("table", { class: "sortable", "data-table": id });
  const head = el("tr");
  const body = el("tbody");
  const shown = el("span");
  function draw() {
    let ordered = rows;
    if (sort.column !== null) {
      const get = columns[sort.column].get;
      ordered = [...rows].sort((a, b) => {
        const x = get(a), y = get(b);
        if (x === y) return 0;
        if (x === null || x === undefined || x === "") return 1;
        if (y === null || y === undefined || y === "") return -1;
        const order = typeof x === "number" && typeof y === "number" ? x - y : byText(String(x), String(y));
        return sort.descending ? -order : order;
      });
    }
    body.replaceChildren(...ordered.slice(0, TABLE_ROWS).map((r) => el("tr", {}, ...columns.map((c) => {
      const value = c.get(r);
      const text = value === null || value === undefined ? "" : (typeof value === "boolean" ? (value ? "yes" : "no") : String(value));
      const td = el("td", { class: c.numeric ? "n" : null });
      if (c.link && value) td.append(el("a", { href: REGISTRY + value, target: "_blank", rel: "noopener", text }));
      else td.textContent = text;
      return td;
    }))));
    shown.textContent = rows.length > TABLE_ROWS ? `showing the first ${fmt(TABLE_ROWS)} of ${fmt(rows.length)} trials (the CSV has all)`
      : `${fmt(rows.length)} trial${rows.length === 1 ? "" : "s"}`;
  }
  columns.forEach((c, i) => {
    const th = el("th", { class: c.numeric ? "n" : null, scope: "col", "data-column": c.name, text: c.name });
    th.addEventListener("click", () => {
      sort.descending = sort.column === i ? !sort.descending : false;
      sort.column = i;
      head.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
      draw();
    });
    head.append(th);
  });
  table.append(el("thead", {}, head), body);
  const download = el("button", { type: "button", "data-csv": id, text: "Download CSV" });
  download.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: "text/csv" }));
    const link = el("a", { href: url, download: `${id}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  draw();
  return el("details", { "data-details": id }, el("summary", { text: "Table of the trials behind the chart" }),
    el("div", { class: "table-tools" }, download, shown), table);
}

const COL = {
  id: { name: "NCT id", get: (t) => t.id, link: true },
  title: { name: "Title", get: (t) => t.title },
  phase: { name: "Phase", get: (t) => DIMS.phase[t.ph] },
  status: { name: "Overall status", get: (t) => DIMS.status[t.st] },
  sponsor: { name: "Lead sponsor", get: (t) => t.sp === null ? null : DIMS.sponsor[t.sp] },
  class: { name: "Sponsor class", get: (t) => t.cl === null ? null : DIMS.class[t.cl] },
  year: { name: "Start year", get: (t) => t.y, numeric: true },
  countries: { name: "Countries", get: (t) => t.c.map(([c]) => DIMS.country[c]).join("; ") },
  sites: { name: "Sites", get: (t) => t.n, numeric: true },
  mesh: { name: "MeSH conditions", get: (t) => t.m.map((m) => DIMS.mesh[m]).join("; ") },
  areas: { name: "Therapeutic areas", get: (t) => t.a.map((a) => DIMS.area[a]).join("; ") },
  completion: { name: "Primary completion", get: (t) => t.pc },
  due: { name: "Results due", get: (t) => t.due },
  reported: { name: "Results reported", get: (t) => t.rep },
  resultsOverdue: { name: "Results overdue", get: (t) => t.ro },
  overdue: { name: "Overdue", get: (t) => t.od },
  stale: { name: "Stale", get: (t) => t.stale },
  why: { name: "Why stopped", get: (t) => t.why },
  asof: { name: "As of", get: (t) => t.asof },
};

// ---- panels --------------------------------------------------------------------------------------

const PANELS = [
  {
    id: "phase-status", title: "Trials by phase and status",
    note: "Each bar is a phase, split by the trials' overall status.",
    draw(trials) {
      const rows = DIMS.phase.map((phase, p) => ({ label: phase, parts: DIMS.status.map((status, s) =>
        [status, trials.filter((t) => t.ph === p && t.st === s).length, STATUS_COLORS[status]]) }))
        .filter((r) => r.parts.some((part) => part[1]));
      return [bars("phase-status", "Trials by phase and overall status", rows, STATUS_COLORS)];
    },
    columns: [COL.id, COL.title, COL.phase, COL.status, COL.year],
  },
  {
    id: "started-per-year", title: "Trials started per year",
    note: "Trials by the year of their (actual or anticipated) start date.",
    draw(trials) {
      const counts = count(trials, (t) => t.y);
      const years = [...counts.keys()];
      const rows = [];
      if (years.length) for (let y = Math.min(...years); y <= Math.max(...years); y++) rows.push([y, counts.get(y) || 0]);
      return [columns("started-per-year", "Trials started per year", rows)];
    },
    columns: [COL.id, COL.title, COL.year, COL.phase, COL.status],
  },
  {
    id: "sponsors", title: "Lead sponsors",
    note: `Trials by the kind of organization leading them, then the ${TOP} organizations leading the most ` +
      "(canonical names: one organization under all its spellings), colored by class.",
    draw(trials) {
      const classes = ranked(count(trials, (t) => t.cl), DIMS.class.length, DIMS.class).map(([c, n]) =>
        ({ label: DIMS.class[c], parts: [[DIMS.class[c], n, CLASS_COLORS[DIMS.class[c]]]] }));
      const classOf = new Map(trials.map((t) => [t.sp, t.cl]));
      const top = ranked(count(trials, (t) => t.sp), TOP, DIMS.sponsor).map(([s, n]) => {
        const cls = DIMS.class[classOf.get(s)] || "Unknown";
        return { label: DIMS.sponsor[s], parts: [[cls, n, CLASS_COLORS[cls] || PALETTE[0]]] };
      });
      return [bars("sponsor-classes", "Trials by lead sponsor class", classes),
        bars("top-sponsors", `Top ${TOP} lead sponsors`, top, CLASS_COLORS)];
    },
    columns: [COL.id, COL.title, COL.sponsor, COL.class, COL.phase, COL.status],
  },
  {
    id: "countries", title: "Trials per country",
    note: `The ${TOP_COUNTRIES} countries with the most trials having a site there.`,
    draw(trials) {
      const rows = ranked(count(trials, (t) => t.c.map(([c]) => c)), TOP_COUNTRIES, DIMS.country)
        .map(([c, n]) => ({ label: DIMS.country[c], parts: [[null, n, PALETTE[0]]] }));
      return [bars("trials-per-country", `Trials per country (top ${TOP_COUNTRIES})`, rows)];
    },
    columns: [COL.id, COL.title, COL.countries, COL.sites, COL.status],
  },
  {
    id: "areas", title: "Therapeutic areas",
    note: "Trials per therapeutic area: the registry's MeSH browse branches of the trials' conditions (a trial " +
      "counts in each of its areas). Trials from legacy XML or mirror pages have no area: their sources carry no branches.",
    draw(trials) {
      const rows = ranked(count(trials, (t) => t.a), DIMS.area.length, DIMS.area)
        .map(([a, n]) => ({ label: DIMS.area[a], parts: [[null, n, PALETTE[0]]] }));
      const phases = DIMS.phase.filter((_, p) => trials.some((t) => t.ph === p && t.a.length));
      const cells = new Map();
      for (const t of trials) for (const a of t.a) {
        const key = `${DIMS.area[a]}|${DIMS.phase[t.ph]}`;
        cells.set(key, (cells.get(key) || 0) + 1);
      }
      const without = trials.filter((t) => !t.a.length).length;
      return [bars("areas", "Trials per therapeutic area", rows),
        el("p", { class: "note", "data-without-area": String(without), text: `${fmt(without)} of the trials have no area.` }),
        heatmap("areas-by-phase", "Trials by therapeutic area and phase", rows.map((r) => r.label), phases,
          (row, phase) => cells.get(`${row}|${phase}`) || 0)];
    },
    columns: [COL.id, COL.title, COL.areas, COL.phase, COL.status],
  },
  {
    id: "conditions", title: "Conditions by phase",
    note: `Trials of the ${TOP_TERMS} most studied conditions, by phase. Conditions are the registry's MeSH ` +
      "terms, so the sponsors' spellings of one condition count together.",
    draw(trials) {
      const terms = ranked(count(trials, (t) => t.m), TOP_TERMS, DIMS.mesh).map(([m]) => m);
      const phases = DIMS.phase.filter((_, p) => trials.some((t) => t.ph === p));
      const cells = new Map();
      for (const t of trials) for (const m of t.m) {
        const key = `${m}|${DIMS.phase[t.ph]}`;
        cells.set(key, (cells.get(key) || 0) + 1);
      }
      return [heatmap("conditions-by-phase", "Trials by MeSH condition and phase", terms.map((m) => DIMS.mesh[m]), phases,
        (row, phase) => cells.get(`${DIMS.mesh.indexOf(row)}|${phase}`) || 0)];
    },
    columns: [COL.id, COL.title, COL.mesh, COL.phase, COL.status],
  },
  {
    id: "results", title: "Results reporting",
    note: "Interventional trials (not withdrawn) by the year of their primary completion: results are due a year " +
      "after it. Overdue: due by the data's as-of date and not in the registry.",
    rows: (trials) => trials.filter((t) => t.due),
    draw(trials) {
      const years = [...new Set(trials.map((t) => t.pc.slice(0, 4)))].sort();
      const colors = { "Results reported": "#59a14f", "Overdue": "#e15759", "Not yet due": "#bab0ac" };
      const rows = years.map((year) => {
        const of = trials.filter((t) => t.pc.startsWith(year));
        const reported = of.filter((t) => t.rep).length;
        const overdue = of.filter((t) => t.ro).length;
        return { label: year, parts: [["Results reported", reported, colors["Results reported"]],
          ["Overdue", overdue, colors.Overdue], ["Not yet due", of.length - reported - overdue, colors["Not yet due"]]] };
      });
      return [bars("results-reporting", "Results by year of primary completion", rows, colors)];
    },
    columns: [COL.id, COL.title, COL.sponsor, COL.completion, COL.due, COL.reported, COL.resultsOverdue, COL.asof],
  },
  {
    id: "terminations", title: "Terminations and withdrawals",
    note: "Trials stopped early, with the registry's reason in the table.",
    rows: (trials) => trials.filter((t) => STOPPED.includes(DIMS.status[t.st])),
    draw(trials) {
      const rows = STOPPED.map((status) => ({ label: status,
        parts: [[null, trials.filter((t) => DIMS.status[t.st] === status).length, STATUS_COLORS[status] || PALETTE[3]]] }))
        .filter((r) => r.parts[0][1]);
      const byPhase = DIMS.phase.map((phase, p) => ({ label: phase, parts: STOPPED.map((status) =>
        [status, trials.filter((t) => t.ph === p && DIMS.status[t.st] === status).length, STATUS_COLORS[status] || PALETTE[3]]) }))
        .filter((r) => r.parts.some((part) => part[1]));
      return [bars("stopped", "Trials stopped early, by status", rows),
        bars("stopped-by-phase", "Trials stopped early, by phase", byPhase)];
    },
    columns: [COL.id, COL.title, COL.status, COL.why, COL.sponsor, COL.phase],
  },
  {
    id: "overdue", title: "Overdue and stale trials",
    note: "Overdue: still open though the primary completion date has passed; stale: status unknown, or open and its " +
      `status not verified for two years; both as of the data's as-of date. The ${TOP} lead sponsors with the most.`,
    rows: (trials) => trials.filter((t) => t.od || t.stale),
    draw(trials) {
      const colors = { Overdue: "#e15759", Stale: "#edc948" };
      const kinds = [{ label: "Overdue", parts: [["Overdue", trials.filter((t) => t.od).length, colors.Overdue]] },
        { label: "Stale", parts: [["Stale", trials.filter((t) => t.stale).length, colors.Stale]] }];
      const top = ranked(count(trials, (t) => t.sp), TOP, DIMS.sponsor).map(([s]) => ({ label: DIMS.sponsor[s], parts: [
        ["Overdue", trials.filter((t) => t.sp === s && t.od).length, colors.Overdue],
        ["Stale", trials.filter((t) => t.sp === s && t.stale).length, colors.Stale]] }));
      return [bars("overdue-stale", "Overdue and stale trials", kinds),
        bars("overdue-by-sponsor", `Lead sponsors with the most overdue or stale trials (top ${TOP})`, top, colors)];
    },
    columns: [COL.id, COL.title, COL.sponsor, COL.status, COL.completion, COL.overdue, COL.stale, COL.asof],
  },
];

function drawKpis(trials) {
  const distinct = (values) => new Set(values).size;
  const kpis = [
    ["trials", trials.length, "trials"],
    ["sites", trials.reduce((s, t) => s + t.n, 0), "sites"],
    ["countries", distinct(trials.flatMap((t) => t.c.map(([c]) => c))), "countries"],
    ["lead_sponsors", distinct(trials.filter((t) => t.sp !== null).map((t) => t.sp)), "lead sponsors"],
    ["overdue", trials.filter((t) => t.od).length, "overdue"],
    ["stale", trials.filter((t) => t.stale).length, "stale"],
    ["results_overdue", trials.filter((t) => t.ro).length, "results overdue"],
  ];
  document.getElementById("kpis").replaceChildren(...kpis.map(([key, value, label]) =>
    el("div", { class: "kpi", "data-kpi": key }, el("b", { text: fmt(value) }), label)));
}

function drawPanels(trials) {
  const panels = document.getElementById("panels");
  const open = new Set([...panels.querySelectorAll("details[open]")].map((d) => d.dataset.details));
  panels.replaceChildren(...PANELS.map((panel) => {
    const rows = panel.rows ? panel.rows(trials) : trials;
    const table = trialTable(panel.id, panel.columns, rows);
    if (open.has(panel.id)) table.setAttribute("open", "");
    return el("section", { "data-panel": panel.id }, el("h2", { text: panel.title }),
      el("p", { class: "note", text: panel.note }), ...panel.draw(rows), table);
  }), registriesPanel(), runsPanel());
}

function registriesPanel() {
  const rows = DATA.registries;  // [registry, registrations, trials, counted here, also in another registry]
  const trials = rows.reduce((s, r) => s + r[3], 0);
  const registrations = rows.reduce((s, r) => s + r[1], 0);
  const chart = (id, title, column, color) =>
    bars(id, title, rows.map((r) => ({ label: r[0], parts: [[null, r[column], color]] })));
  const headers = ["registry", "registrations", "distinct trials", "counted here (each trial once)", "also in another registry"];
  return el("section", { "data-panel": "registries" }, el("h2", { text: "Registries side by side" }),
    el("p", { class: "note", "data-registries-total": `${registrations} ${trials}`,
      text: `${fmt(registrations)} registrations of ${fmt(trials)} distinct trials in ${fmt(rows.length)} registries ` +
        "(not filtered: every registry's records, not only ClinicalTrials.gov's). Registrations of one trial, linked " +
        "by the ids they declare, count once; each trial is counted under its preferred registration." }),
    chart("registry-registrations", "Registrations per registry", 1, PALETTE[0]),
    chart("registry-trials", "Distinct trials per registry", 2, PALETTE[1]),
    el("table", { "data-table": "registries" },
      el("thead", {}, el("tr", {}, ...headers.map((h, i) => el("th", { class: i ? "n" : null, scope: "col", text: h })))),
      el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map((v, i) =>
        el("td", { class: i ? "n" : null, text: i ? fmt(v) : v })))))));
}

function runsPanel() {
  const [runs, reasons] = [DATA.runs, DATA.reasons];
  const quarantine = runs.map((r) => ({ label: r[0], parts: [[null, r[8], PALETTE[3]]] }));
  const table = (headers, rows, numeric) => el("table", {},
    el("thead", {}, el("tr", {}, ...headers.map((h, i) => el("th", { class: numeric.includes(i) ? "n" : null, text: h })))),
    el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map((v, i) =>
      el("td", { class: numeric.includes(i) ? "n" : null, text: typeof v === "number" ? fmt(v) : String(v ?? "") }))))));
  return el("section", { "data-panel": "runs" }, el("h2", { text: "Runs and quarantine" }),
    el("p", { class: "note", text: "Every committed run, its counts and the records it quarantined (not filtered)." }),
    bars("quarantine-per-run", "Quarantined records per run", quarantine),
    el("h3", { text: "Runs" }),
    table(["run", "source", "finished (UTC)", "as of", "fetched", "new", "changed", "unchanged", "quarantined", "errors"],
      runs, [4, 5, 6, 7, 8, 9]),
    el("h3", { text: "Quarantine reasons" }),
    reasons.length ? table(["stage", "reason", "records"], reasons, [2]) : el("p", { text: "No record was quarantined." }));
}

function update() {
  const trials = DATA.trials.filter(passes);
  drawKpis(trials);
  drawPanels(trials);
  document.body.dataset.filtered = String(trials.length);
}

drawFilters();
update();

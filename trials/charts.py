"""Inline SVG charts for the report: no library, no script, nothing fetched when the page opens.

Every mark carries `data-chart`, `data-label`, (`data-series`) and `data-value` attributes and a
`<title>` tooltip, and shows its number as text, so a reader and a test see the same figures.
"""
from html import escape

WIDTH = 760
ROW = 22
LABEL = 230
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d"]


def colors(keys):
    """A stable color for each key, in the order given."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}


def _attrs(chart, label, value, series=None):
    extra = f' data-series="{escape(str(series))}"' if series is not None else ""
    return f'data-chart="{chart}" data-label="{escape(str(label))}"{extra} data-value="{value}"'


def _svg(height, body, title):
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-label="{escape(title)}">{"".join(body)}</svg>')


def _short(text, limit=34):
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def legend(color_of):
    items = "".join(f'<li><span class="swatch" style="background:{c}"></span>{escape(str(k))}</li>'
                    for k, c in color_of.items())
    return f'<ul class="legend">{items}</ul>'


def hbar(chart, rows, title, color_of=None):
    """Ranked horizontal bars: rows are (label, value) or (label, value, color key)."""
    top = max((r[1] for r in rows), default=0) or 1
    span = WIDTH - LABEL - 70
    body = []
    for i, row in enumerate(rows):
        label, value = row[0], row[1]
        color = color_of[row[2]] if color_of and len(row) > 2 else PALETTE[0]
        y = i * ROW
        w = round(span * value / top, 1)
        body.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" class="label">{escape(_short(label))}</text>'
            f'<rect {_attrs(chart, label, value, row[2] if len(row) > 2 else None)} x="{LABEL}" y="{y + 3}" '
            f'width="{w}" height="{ROW - 6}" fill="{color}"><title>{escape(str(label))}: {value:,}</title></rect>'
            f'<text x="{LABEL + w + 5}" y="{y + 15}" class="value">{value:,}</text>')
    return _svg(max(len(rows), 1) * ROW, body, title)


def stacked_hbar(chart, rows, series, title, color_of):
    """One bar per label split by series: rows are {label: {series: value}}, drawn in the given order."""
    top = max((sum(v.values()) for v in rows.values()), default=0) or 1
    span = WIDTH - LABEL - 70
    body = []
    for i, (label, parts) in enumerate(rows.items()):
        y, x = i * ROW, float(LABEL)
        body.append(f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" class="label">{escape(_short(label))}</text>')
        for name in series:
            value = parts.get(name, 0)
            if not value:
                continue
            w = round(span * value / top, 1)
            body.append(f'<rect {_attrs(chart, label, value, name)} x="{x}" y="{y + 3}" width="{w}" '
                        f'height="{ROW - 6}" fill="{color_of[name]}"><title>{escape(str(label))}, '
                        f'{escape(str(name))}: {value:,}</title></rect>')
            x += w
        body.append(f'<text x="{x + 5}" y="{y + 15}" class="value">{sum(parts.values()):,}</text>')
    return _svg(max(len(rows), 1) * ROW, body, title)


def columns(chart, rows, title):
    """Vertical bars over an ordered axis (years): rows are (label, value); every 5th label shown."""
    height, base, top = 240, 210, max((v for _, v in rows), default=0) or 1
    step = (WIDTH - 40) / max(len(rows), 1)
    body = [f'<line x1="30" y1="{base}" x2="{WIDTH - 5}" y2="{base}" class="axis"/>']
    for i, (label, value) in enumerate(rows):
        x = 30 + i * step
        h = round((base - 20) * value / top, 1)
        body.append(f'<rect {_attrs(chart, label, value)} x="{x + 1:.1f}" y="{base - h}" width="{max(step - 2, 1):.1f}" '
                    f'height="{h}" fill="{PALETTE[0]}"><title>{escape(str(label))}: {value:,}</title></rect>')
        if value == top:
            body.append(f'<text x="{x + step / 2:.1f}" y="{base - h - 4}" text-anchor="middle" class="value">{value:,}</text>')
        if i % 5 == 0 or i == len(rows) - 1:
            body.append(f'<text x="{x + step / 2:.1f}" y="{base + 16}" text-anchor="middle" class="label">{escape(str(label))}</text>')
    return _svg(height, body, title)


def heatmap(chart, rows, series, title, header=str):
    """A grid of counts: rows are {label: {series: value}}; darker is more, zeros left blank.
    `header` turns a series into its (short) column heading."""
    cell = (WIDTH - LABEL) / max(len(series), 1)
    top = max((v for parts in rows.values() for v in parts.values()), default=0) or 1
    body = [f'<text x="{LABEL + (j + .5) * cell:.1f}" y="14" text-anchor="middle" class="label small">'
            f'{escape(_short(header(name), 14))}</text>' for j, name in enumerate(series)]
    for i, (label, parts) in enumerate(rows.items()):
        y = 22 + i * ROW
        body.append(f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end" class="label">{escape(_short(label))}</text>')
        for j, name in enumerate(series):
            value = parts.get(name, 0)
            if not value:
                continue
            x = LABEL + j * cell
            shade = 0.15 + 0.85 * value / top
            body.append(f'<rect {_attrs(chart, label, value, name)} x="{x + 1:.1f}" y="{y + 1}" width="{cell - 2:.1f}" '
                        f'height="{ROW - 2}" fill="{PALETTE[0]}" fill-opacity="{shade:.2f}"><title>{escape(str(label))}, '
                        f'{escape(str(name))}: {value:,}</title></rect>'
                        f'<text x="{x + cell / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                        f'class="{"value inverse" if shade > .6 else "value"}">{value:,}</text>')
    return _svg(22 + max(len(rows), 1) * ROW, body, title)

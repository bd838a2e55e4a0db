"""Charts for the board report as inline SVG: heat-maps and a bar chart, no chart library, nothing fetched.

Every piece of text is escaped here, so the functions return markup that is safe to place in a page as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

__all__ = ["heatmap", "bar_chart", "sequential_colour"]

FONT = "font-family:'Segoe UI',Arial,Helvetica,sans-serif"

# A single-hue sequential scale (light to dark blue): reads in greyscale and to colour-blind eyes.
_SCALE = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]


def sequential_colour(value: float, maximum: float) -> str:
    if value is None or maximum <= 0 or value <= 0:
        return "#ffffff"
    step = 1 + int(round((len(_SCALE) - 2) * min(value / maximum, 1.0)))
    return _SCALE[step]


def _text_colour(fill: str) -> str:
    return "#ffffff" if fill in _SCALE[5:] else "#1b1b1b"


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Callable[[int, int], float | None],
    *,
    cell_text: Callable[[int, int], str],
    title: str,
    description: str = "",
    marked: Callable[[int, int], str | None] | None = None,
    cell: int = 26,
    row_label_width: int = 230,
    column_label_height: int = 150,
    maximum: float | None = None,
    cell_title: Callable[[int, int], str] | None = None,
) -> Markup:
    """A rows × columns grid of shaded cells with labels; ``marked(i, j)`` returns a short reason to outline a cell
    in red (e.g. an expected partner missing), or None."""
    grid = [[values(i, j) for j in range(len(columns))] for i in range(len(rows))]
    top = maximum if maximum is not None else max([v for row in grid for v in row if v is not None] or [0])
    # Column labels are rotated up and to the right: leave room for the last ones.
    width = row_label_width + cell * len(columns) + int(column_label_height * 0.75)
    height = column_label_height + cell * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="{FONT};max-width:100%;height:auto">',
             f"<title>{escape(title)}</title>"]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    for j, name in enumerate(columns):
        x = row_label_width + j * cell + cell / 2
        parts.append(f'<text x="{x:.1f}" y="{column_label_height - 6}" font-size="12" fill="#1b1b1b" '
                     f'transform="rotate(-55 {x:.1f} {column_label_height - 6})">{escape(_clip(name, 24))}</text>')
    for i, name in enumerate(rows):
        y = column_label_height + i * cell
        parts.append(f'<text x="{row_label_width - 8}" y="{y + cell / 2 + 4:.1f}" font-size="12" text-anchor="end" '
                     f'fill="#1b1b1b">{escape(_clip(name, 34))}</text>')
        for j in range(len(columns)):
            value = grid[i][j]
            fill = sequential_colour(value, top) if value is not None else "#e9e9e9"
            x = row_label_width + j * cell
            mark = marked(i, j) if marked else None
            stroke = ' stroke="#b2182b" stroke-width="2.5"' if mark else ' stroke="#d0d7de" stroke-width="0.6"'
            tip = cell_title(i, j) if cell_title else f"{rows[i]} × {columns[j]}: {cell_text(i, j)}"
            if mark:
                tip = f"{tip} — {mark}"
            parts.append(f'<g><title>{escape(tip)}</title><rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" '
                         f'height="{cell - 2}" fill="{fill}"{stroke}/>')
            text = cell_text(i, j)
            if mark and not text:
                text = "✕"
            if text:
                colour = "#b2182b" if mark and value in (None, 0) else _text_colour(fill)
                parts.append(f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2 + 4:.1f}" font-size="11" '
                             f'text-anchor="middle" fill="{colour}">{escape(text)}</text>')
            parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    unit: str = "",
    description: str = "",
    highlight: Sequence[bool] | None = None,
    threshold: float | None = None,
    threshold_label: str = "",
    label_width: int = 260,
    bar_area: int = 520,
    bar_height: int = 22,
    value_format: Callable[[float], str] = lambda v: f"{v:,.1f}",
    notes: Sequence[str] | None = None,
) -> Markup:
    """Horizontal bars, largest first as given; ``highlight`` darkens the bars that carry a finding; an optional
    vertical line marks a threshold."""
    top = max(list(values) + [threshold or 0, 1e-9])
    width = label_width + bar_area + 90
    height = 30 + bar_height * len(labels) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="{FONT};max-width:100%;height:auto">',
             f"<title>{escape(title)}</title>"]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    for k, (label, value) in enumerate(zip(labels, values)):
        y = 24 + k * bar_height
        length = bar_area * (value / top) if top else 0
        strong = bool(highlight[k]) if highlight is not None else False
        fill = "#08519c" if strong else "#6baed6"
        note = f" — {notes[k]}" if notes and notes[k] else ""
        parts.append(f"<g><title>{escape(f'{label}: {value_format(value)} {unit}{note}'.strip())}</title>")
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height / 2 + 4:.1f}" font-size="12" text-anchor="end" '
                     f'fill="#1b1b1b">{escape(_clip(label, 38))}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{max(length, 1):.1f}" height="{bar_height - 6}" '
                     f'fill="{fill}"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height / 2 + 4:.1f}" font-size="12" '
                     f'fill="#1b1b1b">{escape(value_format(value))}</text></g>')
    if threshold:
        x = label_width + bar_area * threshold / top
        parts.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 18}" stroke="#b2182b" '
                     f'stroke-dasharray="5 4" stroke-width="1.5"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="14" font-size="11" fill="#b2182b">{escape(threshold_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

"""Server-rendered SVG charts of survey results, for HTML pages and for PDF reports.

No scripts and no `style` attributes (the Content-Security-Policy forbids inline styles), only
presentation attributes. Each chart is an image with a <title> and a <desc> that states every
number, so screen readers get the whole chart. All text passes through `escape`.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from django.utils.html import escape

from surveys.anonymity import effective_threshold

WIDTH = 560
# The reports' shipped face first, so a PDF draws its charts in the font it embeds already; pages
# fall back to the same design where installed.
FONT = "Report Sans, DejaVu Sans, sans-serif"
FONT_SIZE = 12
TEAL = "#1f4e5f"
GREY = "#adb5bd"
TEXT = "#212529"
MUTED_TEXT = "#495057"  # dark enough to read on white

LABEL_WIDTH = 170
BAR_LEFT = LABEL_WIDTH + 10
BAR_WIDTH = 300  # leaves room on the right for the value
BAR_HEIGHT = 18
LABEL_CHARACTERS = 26
MARGIN = 10


def bar_chart(
    bars: Sequence[tuple[str, float]], *, maximum: float, title: str, unit: str = ""
) -> str:
    """Horizontal bars, label on the left and value on the right; `unit` follows each value."""
    row_height = 28
    parts = []
    for index, (label, value) in enumerate(bars):
        top = MARGIN + index * row_height
        parts.append(_row_label(label, top + 18))
        parts.append(_bar(value, maximum, f"{_number(value)}{unit}", top=top + 5, fill=TEAL))
    desc = _sentences(f"{label}: {_number(value)}{unit}" for label, value in bars)
    height = 2 * MARGIN + len(bars) * row_height
    return _svg(height, title=title, desc=desc, body=parts)


def distribution_chart(distribution: Mapping[int, int], *, scale: Sequence[int], title: str) -> str:
    """Vertical bars of respondents per scale value; values outside `scale` are not drawn."""
    height = 200
    plot_top, plot_bottom = 30, height - 30
    slot_width = (WIDTH - 2 * MARGIN) / max(len(scale), 1)
    tallest = max((distribution.get(value, 0) for value in scale), default=0)
    parts = []
    for index, value in enumerate(scale):
        count = distribution.get(value, 0)
        bar_height = (plot_bottom - plot_top) * count / tallest if tallest else 0
        centre = MARGIN + slot_width * (index + 0.5)
        bar_top = plot_bottom - bar_height
        parts.append(_rect(centre - slot_width * 0.3, bar_top, slot_width * 0.6, bar_height, TEAL))
        parts.append(_text(str(count), centre, bar_top - 6, anchor="middle"))
        parts.append(_text(str(value), centre, plot_bottom + 18, anchor="middle"))
    parts.append(
        f'<line x1="{MARGIN}" y1="{plot_bottom}" x2="{WIDTH - MARGIN}" y2="{plot_bottom}" '
        f'stroke="{GREY}" stroke-width="1"/>'
    )
    desc = _sentences(f"{value}: {_respondents(distribution.get(value, 0))}" for value in scale)
    return _svg(height, title=title, desc=desc, body=parts)


def change_chart(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    maximum: float,
    title: str,
    threshold: int,
) -> str:
    """Baseline (grey) and evaluation (teal) bar per row, under a legend.

    None stands for a value hidden because fewer than the threshold answered; it is drawn as
    text instead of a bar.
    """
    hidden = f"hidden (fewer than {effective_threshold(threshold)})"
    legend_height, row_height = 30, 52
    parts = _legend()
    for index, (label, baseline, evaluation) in enumerate(rows):
        top = legend_height + index * row_height
        parts.append(_row_label(label, top + 27))
        for offset, value, fill in ((6, baseline, GREY), (26, evaluation, TEAL)):
            if value is None:
                parts.append(_text(hidden, BAR_LEFT, top + offset + 13, fill=MUTED_TEXT))
            else:
                parts.append(_bar(value, maximum, f"{value:.1f}", top=top + offset, fill=fill))
    desc = _sentences(
        f"{label}: baseline {_value_or(baseline, hidden)}, "
        f"evaluation {_value_or(evaluation, hidden)}"
        for label, baseline, evaluation in rows
    )
    height = legend_height + len(rows) * row_height + MARGIN
    return _svg(height, title=title, desc=desc, body=parts)


def _legend() -> list[str]:
    parts = []
    for left, label, fill in ((BAR_LEFT, "Baseline", GREY), (BAR_LEFT + 100, "Evaluation", TEAL)):
        parts.append(_rect(left, 8, 12, 12, fill))
        parts.append(_text(label, left + 18, 18))
    return parts


def _row_label(label: str, baseline_y: float) -> str:
    return _text(_shortened(label), LABEL_WIDTH, baseline_y, anchor="end")


def _bar(value: float, maximum: float, text: str, *, top: float, fill: str) -> str:
    """A bar from the label column with `text` (the value) just after its end."""
    length = BAR_WIDTH * _share(value, maximum)
    value_text = _text(text, BAR_LEFT + length + 6, top + BAR_HEIGHT - 5)
    return _rect(BAR_LEFT, top, length, BAR_HEIGHT, fill) + value_text


def _share(value: float, maximum: float) -> float:
    if maximum <= 0:
        raise ValueError("The chart maximum must be positive.")
    return min(max(value / maximum, 0.0), 1.0)


def _svg(height: float, *, title: str, desc: str, body: Iterable[str]) -> str:
    # The ids only need to be unique on the page; the same chart twice may share them.
    chart_id = "chart-" + hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:12]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:g}" '
        f'viewBox="0 0 {WIDTH} {height:g}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"/>'
    )


def _text(content: str, x: float, y: float, *, anchor: str = "start", fill: str = TEXT) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(content)}</text>"
    )


def _shortened(label: str) -> str:
    # SVG text does not wrap; the full label is still in the description.
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _value_or(value: float | None, hidden: str) -> str:
    return hidden if value is None else f"{value:.1f}"


def _respondents(count: int) -> str:
    return f"{count} respondent" if count == 1 else f"{count} respondents"


def _sentences(items: Iterable[str]) -> str:
    return "".join(f"{item}. " for item in items).strip()

"""The results' SVG charts (pure functions, no database)."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.charts import bar_chart, change_chart, distribution_chart


def charts_with(label: str, title: str) -> list[str]:
    # The distribution chart has no text labels but the title.
    return [
        bar_chart([(label, 3.5), ("Other", 10)], maximum=10, title=title, unit="%"),
        distribution_chart({1: 2, 3: 5}, scale=[1, 2, 3, 4, 5], title=title),
        change_chart(
            [(label, 3.2, None), ("Other", None, 4.1)], maximum=5, title=title, threshold=5
        ),
    ]


@pytest.mark.parametrize("svg", charts_with('Trust <b>& "respect"</b>', "Results <2025>"))
def test_charts_are_safe_accessible_svg(svg):
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg"
    assert root.get("role") == "img"
    assert root.find(f"{namespace}title").text == "Results <2025>"
    assert root.find(f"{namespace}desc").text
    assert "<b>" not in svg
    assert "&lt;2025&gt;" in svg
    assert "style=" not in svg
    assert "<script" not in svg.lower()


def test_row_labels_are_escaped():
    bar = bar_chart([("<script>x</script>", 1)], maximum=2, title="t")
    changed = change_chart([("a < b", 1, 2)], maximum=2, title="t", threshold=5)
    assert "&lt;script&gt;x&lt;/script&gt;" in bar and "<script" not in bar
    assert "a &lt; b" in changed


@given(st.text(max_size=40), st.text(max_size=40))
def test_charts_parse_whatever_the_text(label, title):
    # XML 1.0 cannot carry control characters at all, escaped or not.
    printable = "".join(c for c in label if c.isprintable())
    for svg in charts_with(printable, "".join(c for c in title if c.isprintable())):
        ET.fromstring(svg)


def test_change_chart_states_hidden_values_in_words():
    svg = change_chart([("Trust", 3.2, None)], maximum=5, title="Change", threshold=1)
    assert "hidden (fewer than 3)" in svg
    desc = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}desc").text
    assert desc == "Trust: baseline 3.2, evaluation hidden (fewer than 3)."


def test_chart_height_follows_the_rows():
    one = ET.fromstring(bar_chart([("a", 1)], maximum=2, title="t"))
    three = ET.fromstring(bar_chart([("a", 1), ("b", 2), ("c", 0)], maximum=2, title="t"))
    assert float(three.get("height")) > float(one.get("height"))
    assert one.get("width") == three.get("width") == "560"


def test_a_chart_needs_a_positive_maximum():
    with pytest.raises(ValueError):
        bar_chart([("a", 1)], maximum=0, title="t")

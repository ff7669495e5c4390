"""The PDFs are accessible documents (PDF/UA-1): a structure tree, the document's title shown
in place of its file name, its language, and a text alternative for every chart."""

import gc
import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from reports.evaluation import evaluation_html
from reports.pdf import html_to_pdf

from .test_evaluation import build

pytestmark = [pytest.mark.django_db]


def structure(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element of the document, depth first."""
    found: list[DictionaryObject] = []
    pending = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while pending:
        node = pending.pop()
        if not isinstance(node, DictionaryObject):
            continue
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else None
        if isinstance(kids, ArrayObject):
            pending.extend(kid.get_object() for kid in kids)
        elif isinstance(kids, DictionaryObject):
            pending.append(kids)
    return found


def test_the_evaluation_report_is_tagged_with_its_title_language_and_chart_alternatives(
    programme, people
):
    build(programme, people["coordinator"])
    html = evaluation_html(programme)
    reader = PdfReader(io.BytesIO(html_to_pdf(html).content))

    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == f"{programme.name} · Evaluation report"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # claims PDF/UA-1

    elements = structure(reader)
    kinds = [element["/S"] for element in elements]
    assert kinds.count("/H1") == 1
    assert kinds.count("/H2") >= 6  # the contents and every chapter
    assert {"/Table", "/TH", "/TD", "/L", "/LI"} <= set(kinds)
    figures = [element for element in elements if element["/S"] == "/Figure"]
    charts = html.count('role="img"')
    assert charts and len(figures) == charts
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)
    assert "Pairs started, by what became of them" in {str(f["/Alt"]) for f in figures}


def test_the_contents_page_gives_each_chapter_the_page_its_heading_is_on(programme, people):
    build(programme, people["coordinator"])
    html = evaluation_html(programme)
    reader = PdfReader(io.BytesIO(html_to_pdf(html).content))
    pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    chapters = re.findall(r'<span class="toc-number">(\d+)</span>([^<]+)</a>', html)
    assert len(chapters) >= 6
    for number, title in chapters:
        # As a reader sees the line: the number, the title, and at the right its page.
        listed = re.search(rf"^\s*{number}\s+{re.escape(title)}\s+(\d+)\s*$", pages[1], re.M)
        assert listed, f"{title} has no page number on the contents page"
        heading = re.compile(rf"^\s*{number}\s*{re.escape(title)}\s*$", re.M)
        on = [n for n, text in enumerate(pages, start=1) if n > 2 and heading.search(text)]
        assert on and int(listed.group(1)) == on[0], title


def test_rendering_leaves_the_collector_as_it_found_it():
    """The render freezes the objects it finds (so the collector does not walk them over and
    over) and must thaw them again, after a failure too, or the process would never free them."""
    page = '<html lang="en"><head><title>t</title></head><body><p>One page.</p></body></html>'
    assert gc.get_freeze_count() == 0
    assert html_to_pdf(page).page_count == 1
    assert gc.get_freeze_count() == 0
    with pytest.raises(TypeError):
        html_to_pdf(None)
    assert gc.get_freeze_count() == 0


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The base font names of every font the pages and their drawings (form XObjects) use."""
    found: set[str] = set()
    pending = [page["/Resources"] for page in reader.pages]
    while pending:
        resources = pending.pop().get_object()
        for font in resources.get("/Font", {}).values():
            found.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
        for drawing in resources.get("/XObject", {}).values():
            drawing = drawing.get_object()
            if "/Resources" in drawing:
                pending.append(drawing["/Resources"])
    return found


def test_the_report_and_its_charts_use_only_the_shipped_fonts(programme, people):
    build(programme, people["coordinator"])
    html = evaluation_html(programme)
    assert 'role="img"' in html
    reader = PdfReader(io.BytesIO(html_to_pdf(html).content))
    fonts = embedded_fonts(reader)
    assert "Report-Sans" in fonts
    assert all(font.startswith("Report-Sans") for font in fonts), fonts


def test_the_timeline_status_is_plain_text_not_a_boxed_badge(programme, people):
    """The systemic issues' open/closed badge is a framed label; the timeline's status column
    shares the class name and must stay an ordinary table cell (it once drew a box per row)."""
    from weasyprint import HTML

    build(programme, people["coordinator"])
    document = HTML(string=evaluation_html(programme), base_url="static/").render()
    cells = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if box.element_tag == "td" and "status" in (box.element.get("class") or "").split()
    ]
    assert cells, "the timeline has a status column"
    for cell in cells:
        assert cell.style["border_left_width"] == 0
        assert cell.style["text_transform"] == "none"

"""Turning a report's HTML into a PDF. Imported only by the worker's tasks, never by a view."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def html_to_pdf(html: str) -> RenderedPdf:
    with _older_objects_frozen():
        return _render(html)


def _render(html: str) -> RenderedPdf:
    # Imported here, on first use, so that a web worker never loads WeasyPrint: only the worker
    # renders. Fonts and the print stylesheet come from static/ on disk, nothing from a network.
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").render()
    # Tagged PDF/UA-1, as public-sector buyers must publish: a structure tree (headings, tables,
    # lists, figures with their alternative text from each chart's <title>), the document's
    # title shown instead of its file name, and its language, from the HTML's <title> and lang.
    return RenderedPdf(
        content=document.write_pdf(pdf_variant=PDF_VARIANT), page_count=len(document.pages)
    )


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """A render makes millions of short-lived objects, so the collector runs some 200 times
    during it, and each full collection walked every object the worker already held (Django,
    the apps, WeasyPrint: some 300,000 that live as long as the process) - a quarter of the
    render's time. Frozen, they are left out of those walks; on the way out, the render's own
    garbage is collected while they are still frozen (so only it is walked), and the collector
    then treats the older objects as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()

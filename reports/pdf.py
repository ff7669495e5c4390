"""Turning a report's HTML into a PDF. Imported only by the worker's tasks, never by a view."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def html_to_pdf(html: str) -> RenderedPdf:
    # Imported here, on first use, so that a web worker never loads WeasyPrint: only the worker
    # renders. Fonts and the print stylesheet come from static/ on disk, nothing from a network.
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").render()
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))

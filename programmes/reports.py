"""Rendering the programme summary PDF. Called only from a Celery task, never in a web worker."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from .models import Programme, StageStatus
from .selectors import programme_members, timeline_stages


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def render_programme_summary(programme: Programme) -> RenderedPdf:
    today = timezone.localdate(timezone.now(), programme.organisation.zone)
    stages = timeline_stages(programme, today)
    with timezone.override(programme.organisation.zone):
        html = _render_summary_html(programme, stages)
    # Fonts and the print stylesheet are read from static/ on disk: nothing is fetched remotely.
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").render()
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))


def _render_summary_html(programme: Programme, stages: list) -> str:
    return render_to_string(
        "reports/programme_summary.html",
        {
            "programme": programme,
            "organisation": programme.organisation,
            "stages": stages,
            "stages_done": sum(stage.status == StageStatus.DONE for stage in stages),
            "people": programme_members(programme).count(),
            "generated_at": timezone.localtime(timezone.now(), programme.organisation.zone),
        },
    )

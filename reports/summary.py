"""The programme summary: stages and people on a page or two."""

from django.template.loader import render_to_string
from django.utils import timezone

from programmes.models import Programme, StageStatus
from programmes.selectors import programme_members, timeline_stages


def summary_html(programme: Programme) -> str:
    zone = programme.organisation.zone
    stages = timeline_stages(programme, timezone.localdate(timezone.now(), zone))
    with timezone.override(zone):
        return render_to_string(
            "reports/programme_summary.html",
            {
                "programme": programme,
                "organisation": programme.organisation,
                "stages": stages,
                "stages_done": sum(stage.status == StageStatus.DONE for stage in stages),
                "people": programme_members(programme).count(),
                "generated_at": timezone.localtime(timezone.now(), zone),
            },
        )

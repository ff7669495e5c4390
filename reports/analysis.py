"""The analysis of themes for a combined session, as a PDF: the same frozen content as its
page, with the report's print stylesheet."""

from django.template.loader import render_to_string
from django.utils import timezone

from themes.models import ThemeAnalysis

from .models import ProgrammeReport


def theme_analysis_html(report: ProgrammeReport) -> str:
    analysis = ThemeAnalysis.objects.select_related("session__programme__organisation").get(
        session=report.group_session_id
    )
    session = analysis.session
    programme = session.programme
    zone = programme.organisation.zone
    with timezone.override(zone):
        return render_to_string(
            "reports/theme_analysis.html",
            {
                "programme": programme,
                "organisation": programme.organisation,
                "session": session,
                "analysis": analysis,
                "content": analysis.content,
                "generated_at": timezone.localtime(timezone.now(), zone),
            },
        )

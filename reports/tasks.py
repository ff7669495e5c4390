import logging
from collections.abc import Callable

from organisations.tasks import tenant_task

from .analysis import theme_analysis_html
from .evaluation import evaluation_html
from .models import ProgrammeReport, ReportFailure, ReportKind
from .pdf import html_to_pdf
from .services import RENDER_TASK, report_fail, report_finish, report_render_begin
from .summary import summary_html

logger = logging.getLogger(__name__)

RENDERERS: dict[str, Callable[[ProgrammeReport], str]] = {
    ReportKind.SUMMARY: lambda report: summary_html(report.programme),
    ReportKind.EVALUATION: lambda report: evaluation_html(report.programme),
    ReportKind.THEME_ANALYSIS: theme_analysis_html,
}


@tenant_task(name=RENDER_TASK, model=ProgrammeReport, time_limit=300)
def render_report(report: ProgrammeReport) -> None:
    """Render once per delivery; a delivery after the report finished does nothing."""
    if not report_render_begin(report=report):
        return
    try:
        pdf = html_to_pdf(RENDERERS[report.kind](report))
    except Exception as error:
        logger.exception("Rendering report %s failed", report.pk)
        report_fail(report=report, failure=ReportFailure.RENDER, error=type(error).__name__)
        return
    report_finish(report=report, content=pdf.content, page_count=pdf.page_count)

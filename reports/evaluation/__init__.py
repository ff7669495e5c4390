"""The executive's evaluation report: a PDF a board would read. Rendered only by a Celery task,
inside the programme's organisation scope, never in a web worker.

`figures` gathers each section's figures (every survey figure through `survey_results`, free text
only as `anonymity.free_text_summary` allows), `sentences` writes its prose, and `sections` lists
the sections with their template includes, from which the contents page is made.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from programmes.models import Programme

from . import figures, sentences
from .sections import Sources, chapters


def evaluation_html(programme: Programme) -> str:
    return render_to_string("reports/evaluation.html", evaluation_context(programme))


def evaluation_context(programme: Programme) -> dict[str, object]:
    now = timezone.localtime(timezone.now(), programme.organisation.zone)
    sources = Sources(programme, now.date())
    return {
        "programme": programme,
        "organisation": programme.organisation,
        "generated_on": sentences.generated_on(now),
        "generated_at": sentences.generated_at(now),
        "pairs_started": sources.participation.started.pairs,
        "threshold": figures.anonymity(sources.surveys).threshold,
        "chapters": chapters(sources),
    }

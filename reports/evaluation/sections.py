"""The evaluation report's sections, in the order it prints them.

Each section is an anchor, a title, the selector that gathers its figures and a template include
(`reports/evaluation/_<anchor>.html`). The contents page and the chapter numbers follow this list,
so a new section is one selector in `figures`, its sentences in `sentences`, one include, and one
line here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from programmes.models import Programme
from surveys.models import Category

from . import figures
from .systemic import systemic


class Sources:
    """What several sections share, each read from the database once, when first needed."""

    def __init__(self, programme: Programme, today: date) -> None:
        self.programme = programme
        self.today = today

    @cached_property
    def surveys(self) -> figures.StandardSurveys:
        return figures.standard_surveys(self.programme)

    @cached_property
    def participation(self) -> figures.Participation:
        return figures.participation(self.programme)

    @cached_property
    def timeline(self) -> figures.Timeline:
        return figures.timeline(self.programme, self.today)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    gather: Callable[[Sources], object | None]  # its figures; None leaves the section out
    new_page: bool = True  # else it follows on, kept whole

    @property
    def template(self) -> str:
        return f"reports/evaluation/_{self.anchor}.html"


def _results(*categories: str) -> Callable[[Sources], figures.ResultsChapter]:
    def gather(sources: Sources) -> figures.ResultsChapter:
        surveys = sources.surveys
        return figures.results_chapter(surveys.evaluation, surveys.baseline, categories)

    return gather


SECTIONS: tuple[Section, ...] = (
    Section(
        "summary",
        "Executive summary",
        lambda s: figures.summary(s.participation, s.timeline, s.surveys),
    ),
    Section("purpose", "Purpose and success measures", lambda s: figures.purpose(s.programme)),
    Section("participation", "Participation", lambda s: s.participation, new_page=False),
    Section("timeline", "Timeline adherence", lambda s: s.timeline),
    Section("outcomes", "Outcomes for participants", _results(*figures.OUTCOME_CATEGORIES)),
    Section("reciprocal", "Reciprocal learning", _results(Category.RECIPROCAL)),
    Section(
        "organisational",
        "Organisational measures",
        lambda s: figures.organisational(s.programme, s.surveys),
    ),
    Section("systemic", "Systemic change", lambda s: systemic(s.programme, s.today)),
    Section(
        "themes",
        "Themes in the initial survey",
        lambda s: figures.themes(s.surveys.initial),
        new_page=False,
    ),
    Section("supervision", "Supervision", lambda s: figures.supervision(s.programme)),
    Section("method", "Method and anonymity", lambda s: figures.method(s.surveys)),
)


@dataclass(frozen=True)
class Chapter:
    """A section as the report prints it: numbered, with its figures."""

    number: int
    section: Section
    figures: object


def chapters(sources: Sources, sections: tuple[Section, ...] = SECTIONS) -> list[Chapter]:
    gathered = [(section, section.gather(sources)) for section in sections]
    present = [(section, found) for section, found in gathered if found is not None]
    return [Chapter(number, section, found) for number, (section, found) in enumerate(present, 1)]

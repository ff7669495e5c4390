"""The standard surveys: their dates where the programme moved them, and the answers of
everyone in a pair to each survey that has closed, each sent while the survey was open."""

from dataclasses import dataclass
from datetime import timedelta

from organisations.models import User
from pairs.models import Meeting, Pair, PairStatus
from programmes.models import Programme
from surveys.models import Question, QuestionKind, Survey, SurveyKind
from surveys.services import response_save, survey_save

from .clock import as_of
from .story import Data, Days

DATE_KEYS = {"opens_on": "opens_day", "closes_on": "closes_day"}
# The standard "How often have you met?" choices, by how many meetings the pair had logged.
TIMES_MET = ((0, 0), (1, 1), (2, 3))  # (fewest, most) meetings for choices 0-2; more: choice 3


def surveys_load(
    *, programme: Programme, plan: Data, patterns: Data, days: Days, users: dict[str, User]
) -> None:
    surveys = {survey.kind: survey for survey in Survey.objects.filter(programme=programme)}
    pairs = list(
        Pair.objects.filter(programme=programme)
        .exclude(status=PairStatus.PROPOSED)
        .select_related("senior", "junior")
        .order_by("pk")
    )
    for kind, spec in plan.get("survey", {}).items():
        survey = surveys[kind]
        dates = {field: days.date(spec[key]) for field, key in DATE_KEYS.items() if key in spec}
        if dates:
            with as_of(days.at(plan["created_day"], "09:05")):  # planned with the programme
                survey = survey_save(programme=programme, values=dates, survey=survey)
        if survey.has_closed():
            _answers_load(survey, spec, patterns, pairs, days, users)


def _answers_load(
    survey: Survey,
    spec: Data,
    patterns: Data,
    pairs: list[Pair],
    days: Days,
    users: dict[str, User],
) -> None:
    questions = list(Question.objects.filter(survey=survey))
    respondents = [
        (profile, pair)
        for pair in pairs
        for profile in (pair.senior, pair.junior)
        if profile.email not in spec.get("skipped", [])
    ]
    window = (survey.closes_on - survey.opens_on).days
    for position, (profile, pair) in enumerate(respondents):
        # Spread over the days the survey was open, the last answer the day before it closed.
        day = survey.opens_on + timedelta(days=position * window // len(respondents))
        moment = days.on(day, f"{12 + position % 6}:15")
        meetings = Meeting.objects.filter(pair=pair, date__lt=day).count()
        person = _Person(
            profile.email, profile.side, position, meetings, survey.kind, spec, patterns
        )
        answers = {question.pk: person.answer(question) for question in questions}
        quotable = [q.pk for q in questions if _written(spec, q.key, profile.email).get("quote")]
        with as_of(moment):
            response_save(
                survey=survey,
                respondent=users[profile.email],
                answers=answers,
                submit=True,
                quotable=quotable,
            )


@dataclass
class _Person:
    """One respondent's answers: the typical answer for their side, varied item by item."""

    email: str
    side: str
    position: int
    meetings: int  # the pair's meetings before the day they answered
    kind: str  # which survey
    spec: Data
    patterns: Data
    item: int = 0

    def answer(self, question: Question) -> object:
        if question.kind == QuestionKind.TEXT:
            return _written(self.spec, question.key, self.email).get("text", "")
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = question.choices[self._times_met(question)]
            return chosen if question.kind == QuestionKind.SINGLE else [chosen]
        outcome = self.patterns["outcomes"].get(question.key)
        if outcome is not None:
            typical = outcome[self.side][1 if self.kind == SurveyKind.EVALUATION else 0]
        elif question.kind == QuestionKind.SCALE10:
            typical = self.patterns["scale10"]
        else:
            typical = self.patterns["relationship"]
        variation = self.patterns["variation"]
        self.item += 1
        lean = self.spec.get("lean", {}).get(self.email, 0)
        value = typical + lean + variation[(3 * self.position + self.item) % len(variation)]
        top, bottom = (10, 0) if question.kind == QuestionKind.SCALE10 else (5, 1)
        return max(bottom, min(top, value))

    def _times_met(self, question: Question) -> int:
        """The standard "How often have you met?" choice that the pair's meetings give; the first
        choice of any other question."""
        if question.key != "rel_frequency" or len(question.choices) != len(TIMES_MET) + 1:
            return 0
        return next(
            (n for n, (low, high) in enumerate(TIMES_MET) if low <= self.meetings <= high),
            len(TIMES_MET),
        )


def _written(spec: Data, key: str, email: str) -> Data:
    """What a person wrote to a free-text question, and whether they allowed it to be quoted."""
    return spec.get("text", {}).get(key, {}).get(email, {})

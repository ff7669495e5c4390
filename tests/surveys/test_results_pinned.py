"""What the results page shows for one fixed set of answers, figure by figure and hidden cell by
hidden cell, so a change to how the figures are computed cannot change a single one of them.

The set (threshold 5): an evaluation survey and its baseline, 7 seniors and 10 juniors. It holds
a question both sides show, a side too small that hides the other by subtraction, a question too
few answered, single and multiple choices (an option picked twice, one not offered), free text
quoted and free text too few wrote, a draft that never counts, two respondents whose accounts
were erased, and the paired change visible, hidden for too few answering both and hidden because
a few answered only one survey."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from organisations.erasure import account_erase
from organisations.roles import Role, Side
from surveys.anonymity import FreeTextSummary, PairedChange, ScaleSummary
from surveys.models import Question, Survey, SurveyKind
from surveys.selectors import survey_results
from surveys.services import response_save

from ..factories import programme_person
from ..urls import programme_url

SENIORS, JUNIORS = 7, 10
W, M, R = "Weekly", "Monthly", "Rarely"
P, RE, PAY, C = "Promotion", "Recruitment", "Pay", "Culture"

# question key -> (kind, text, choices)
BASELINE_QUESTIONS = {
    "belong": ("agree", "I belong here.", []),
    "room": ("scale10", "Did you belong in the room?", []),
    "trust": ("agree", "I trust my partner.", []),
}
EVALUATION_QUESTIONS = {
    **BASELINE_QUESTIONS,
    "energy": ("agree", "I have energy for this.", []),
    "often": ("single", "How often did you meet?", [W, M, R]),
    "systems": ("multiple", "Which systems came up?", [P, RE, PAY, C]),
    "learned": ("text", "What did you learn?", []),
    "else": ("text", "Anything else?", []),
}

# person -> {question key: value}; s0.. are seniors, j0.. juniors
BASELINE_ANSWERS = {
    **{f"s{n}": {"belong": v} for n, v in enumerate([2, 3, 3, 4, 2, 3, 1])},
    **{f"j{n}": {"belong": v} for n, v in enumerate([2, 2, 3, 1, 2, 3])},
}
for _n, _v in enumerate([4, 5, 6, 3, 7, 5, 4]):
    BASELINE_ANSWERS[f"s{_n}"]["room"] = _v
for _n, _v in enumerate([3, 4, 6, 2, 5]):
    BASELINE_ANSWERS[f"j{_n}"]["room"] = _v
for _who, _v in (("s0", 3), ("s1", 4), ("s2", 2), ("j0", 3), ("j1", 3), ("j2", 4)):
    BASELINE_ANSWERS[_who]["trust"] = _v

EVALUATION_ANSWERS: dict[str, dict[str, object]] = {
    **{f"s{n}": {"belong": v} for n, v in enumerate([4, 4, 3, 5, 3, 4, 2])},
    **{f"j{n}": {"belong": v} for n, v in enumerate([3, 4, 4, 2, 3, 5, 4, 3, 4, 5])},
}
for _n, _v in enumerate([6, 7, 8, 5, 9, 6, 5]):
    EVALUATION_ANSWERS[f"s{_n}"]["room"] = _v
for _n, _v in enumerate([5, 6, 7, 4]):
    EVALUATION_ANSWERS[f"j{_n}"]["room"] = _v
for _who, _v in (("s0", 4), ("s1", 5), ("s2", 3), ("j0", 4), ("j6", 2), ("j7", 5)):
    EVALUATION_ANSWERS[_who]["trust"] = _v
for _who, _v in (("s0", 4), ("j1", 2), ("j2", 5)):
    EVALUATION_ANSWERS[_who]["energy"] = _v
for _who, _v in zip(["s0", "s1", "s2", "s3", "s4"], [W, M, W, R, W], strict=True):
    EVALUATION_ANSWERS[_who]["often"] = _v
for _who, _v in zip(["j0", "j1", "j2", "j3", "j4"], [M, M, W, R, M], strict=True):
    EVALUATION_ANSWERS[_who]["often"] = _v
_SYSTEMS = [[P, C], [PAY], [PAY, PAY], [C], [P, RE, C], ["Travel"], [C], [P]]
for _who, _v in zip(["s0", "s1", "s2", "s3", "s4", "s5", "j0", "j1"], _SYSTEMS, strict=True):
    EVALUATION_ANSWERS[_who]["systems"] = _v
# (text, may be quoted)
_LEARNED = {
    "s0": ("cherry tree", True),
    "s1": ("  Banana   split ", True),
    "s2": ("apple pie", True),
    "s3": ("secret of a senior", False),
    "j0": ("Éclair", True),
    "j1": ("banana bread", True),
    "j2": ("private to a junior", False),
    "j3": ("   ", True),  # says nothing: not an answer
}
_ELSE = {"s0": ("alpha", False), "s1": ("beta", True), "j0": ("gamma", True), "j9": ("delta", True)}

ERASED = ("s6", "j9")  # they erase their accounts after the survey closed
DRAFT = "j5"  # a second survey's draft: never counts


def _survey(programme, kind: str, title: str, questions: dict, opens_days_ago: int) -> Survey:
    today = timezone.localdate()
    survey = Survey.objects.create(
        programme=programme,
        title=title,
        kind=kind,
        opens_on=today - timedelta(days=opens_days_ago),
        closes_on=today + timedelta(days=3),
    )
    for position, (key, (kind_, text, choices)) in enumerate(questions.items()):
        Question.objects.create(
            survey=survey,
            position=position,
            key=key if key in BASELINE_QUESTIONS else "",
            kind=kind_,
            text=text,
            choices=choices,
            required=False,
        )
    return survey


def _answer(survey: Survey, user, given: dict[str, object], *, submit: bool = True) -> None:
    questions = {q.text: q for q in survey.questions.all()}
    by_key = {
        key: questions[text]
        for key, (_, text, _) in EVALUATION_QUESTIONS.items()
        if text in questions
    }
    answers, quotable = {}, set()
    for key, value in given.items():
        question = by_key[key]
        if isinstance(value, tuple):
            value, allowed = value
            if allowed:
                quotable.add(question.pk)
        answers[question.pk] = value
    response_save(survey=survey, respondent=user, answers=answers, quotable=quotable, submit=submit)


def fixed_results_world(programme) -> tuple[Survey, Survey]:
    """The fixed set of answers above, in `programme` (its standard surveys removed): the
    evaluation survey, closed, and its baseline."""
    Survey.objects.filter(programme=programme).delete()
    people = {
        f"s{n}": programme_person(programme, Role.PARTICIPANT, Side.SENIOR) for n in range(SENIORS)
    }
    people |= {
        f"j{n}": programme_person(programme, Role.PARTICIPANT, Side.JUNIOR) for n in range(JUNIORS)
    }
    people["j10"] = programme_person(programme, Role.PARTICIPANT, Side.JUNIOR)
    baseline = _survey(programme, SurveyKind.BASELINE, "Where we start", BASELINE_QUESTIONS, 60)
    evaluation = _survey(
        programme, SurveyKind.EVALUATION, "Where we got to", EVALUATION_QUESTIONS, 5
    )
    for who, given in BASELINE_ANSWERS.items():
        _answer(baseline, people[who], given)
    for who, given in EVALUATION_ANSWERS.items():
        extra = {"learned": _LEARNED[who]} if who in _LEARNED else {}
        extra |= {"else": _ELSE[who]} if who in _ELSE else {}
        _answer(evaluation, people[who], given | extra)
    _answer(evaluation, people["j10"], {"belong": 1, "learned": ("never sent", True)}, submit=False)
    yesterday = timezone.localdate() - timedelta(days=1)
    Survey.objects.filter(pk__in=[baseline.pk, evaluation.pk]).update(closes_on=yesterday)
    for who in ERASED:
        account_erase(person=people[who])
    return Survey.objects.get(pk=evaluation.pk), Survey.objects.get(pk=baseline.pk)


class _Cards(HTMLParser):
    """The text of the completion line and of each result card, chart descriptions included."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[list[str]] = []
        self.completion = ""
        self._depth = 0  # inside a result card: how many sections deep
        self._in_completion = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        testid = dict(attrs).get("data-testid")
        if tag == "section" and testid == "result":
            self.cards.append([])
            self._depth = 1
        elif tag == "section" and self._depth:
            self._depth += 1
        self._in_completion = self._in_completion or testid == "completion"

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._depth:
            self._depth -= 1
        if tag == "p":
            self._in_completion = False

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and self._depth:
            self.cards[-1].append(text)
        elif text and self._in_completion:
            self.completion += text


def shown(response) -> tuple[str, list[str]]:
    parser = _Cards()
    parser.feed(response.content.decode())
    return parser.completion, [" | ".join(card) for card in parser.cards]


# The two who erased their accounts left the programme, but their answers still count: the
# survey was for the 16 still in it and for them (it once read "17 of 16 people answered").
EXPECTED_COMPLETION = (
    "17 of 18 people answered (94%). Any figure from fewer than 5 people is hidden, "
    "and so is any figure that would let a hidden one be worked out. Written answers "
    "are never shown word for word unless their author allowed it, and then only "
    "when at least 5 people wrote an answer."
)
EXPECTED_CARDS = [
    (
        "I belong here. | · Other | I belong here. | 1: 0 respondents. 2: 2 respondents. "
        "3: 5 respondents. 4: 7 respondents. 5: 3 respondents. | 0 | 1 | 2 | 2 | 5 | 3 | "
        "7 | 4 | 3 | 5 | Everyone: mean | 3.6 | (17 people); change since baseline | "
        "+1.2 | The 12 people who answered both surveys: change | +1.2 | , each against "
        "their own baseline answer | Senior side: mean | 3.6 | (7) | Junior side: mean | "
        "3.7 | (10)"
    ),
    (
        "Did you belong in the room? | · Other | Did you belong in the room? | 0: 0 "
        "respondents. 1: 0 respondents. 2: 0 respondents. 3: 0 respondents. 4: 1 "
        "respondent. 5: 3 respondents. 6: 3 respondents. 7: 2 respondents. 8: 1 "
        "respondent. 9: 1 respondent. 10: 0 respondents. | 0 | 0 | 0 | 1 | 0 | 2 | 0 | 3 "
        "| 1 | 4 | 3 | 5 | 3 | 6 | 2 | 7 | 1 | 8 | 1 | 9 | 0 | 10 | Everyone: mean | 6.2 "
        "| (11 people); change since baseline | +1.7 | Change for those who answered "
        "both surveys: hidden. Fewer than 5 people answered only one of the two surveys, "
        "and beside the figures of everyone who answered each it would reveal theirs. | "
        "Senior side: hidden | Junior side: hidden"
    ),
    (
        "I trust my partner. | · Other | I trust my partner. | 1: 0 respondents. 2: 1 "
        "respondent. 3: 1 respondent. 4: 2 respondents. 5: 2 respondents. | 0 | 1 | 1 | "
        "2 | 1 | 3 | 2 | 4 | 2 | 5 | Everyone: mean | 3.8 | (6 people); change since "
        "baseline | +0.6 | Change for those who answered both surveys: hidden. Fewer "
        "than 5 people answered both surveys. | Senior side: hidden | Junior side: hidden"
    ),
    ("I have energy for this. | · Other | Hidden: fewer than 5 people answered."),
    (
        "How often did you meet? | · Other | How often did you meet? | Weekly: 4. "
        "Monthly: 4. Rarely: 2. | Weekly | 4 | Monthly | 4 | Rarely | 2 | Senior side: "
        "Weekly 3, Monthly 1, Rarely 1 | Junior side: Weekly 1, Monthly 3, Rarely 1"
    ),
    (
        "Which systems came up? | · Other | Which systems came up? | Promotion: 3. "
        "Recruitment: 1. Pay: 2. Culture: 4. | Promotion | 3 | Recruitment | 1 | Pay | 2 "
        "| Culture | 4 | Senior side: hidden | Junior side: hidden"
    ),
    (
        "What did you learn? | · Other | 7 people wrote an answer; 5 of them allowed "
        "quoting. | Quoted with their authors\u2019 permission, in alphabetical order: | "
        "apple pie | banana bread | Banana split | cherry tree | Éclair"
    ),
    (
        "Anything else? | · Other | 3 people wrote an answer; 2 of them allowed quoting. "
        "| Nothing is quoted. Fewer than 5 people wrote an answer."
    ),
]


@pytest.mark.django_db
def test_the_results_page_shows_exactly_these_figures_and_hides_exactly_these(
    client, programme, coordinator
):
    evaluation, _ = fixed_results_world(programme)
    client.force_login(coordinator)
    response = client.get(programme_url("surveys:results", programme, evaluation.pk))
    assert response.status_code == 200
    completion, cards = shown(response)
    assert completion == EXPECTED_COMPLETION
    assert cards == EXPECTED_CARDS


HIDDEN_SIDES = {"senior": None, "junior": None}
ONLY_ONE = (
    "Fewer than 5 people answered only one of the two surveys, and beside the figures of "
    "everyone who answered each it would reveal theirs."
)
EXPECTED_FIGURES = [
    (
        "I belong here.",
        17,
        True,
        ScaleSummary(17, 3.6, {2: 2, 3: 5, 4: 7, 5: 3}),
        {
            "senior": ScaleSummary(7, 3.6, {2: 1, 3: 2, 4: 3, 5: 1}),
            "junior": ScaleSummary(10, 3.7, {2: 1, 3: 3, 4: 4, 5: 2}),
        },
        1.2,
        {"senior": 1.0, "junior": 1.5},
        PairedChange(12, 1.2, 0.8, 1.5),
    ),
    (
        "Did you belong in the room?",
        11,
        True,
        ScaleSummary(11, 6.2, {4: 1, 5: 3, 6: 3, 7: 2, 8: 1, 9: 1}),
        HIDDEN_SIDES,
        1.7,
        HIDDEN_SIDES,
        PairedChange(10, hidden_reason=ONLY_ONE),
    ),
    (
        "I trust my partner.",
        6,
        True,
        ScaleSummary(6, 3.8, {2: 1, 3: 1, 4: 2, 5: 2}),
        HIDDEN_SIDES,
        0.6,
        HIDDEN_SIDES,
        PairedChange(4, hidden_reason="Fewer than 5 people answered both surveys."),
    ),
    ("I have energy for this.", 3, False, None, {}, None, {}, None),
    (
        "How often did you meet?",
        10,
        True,
        {W: 4, M: 4, R: 2},
        {"senior": {W: 3, M: 1, R: 1}, "junior": {W: 1, M: 3, R: 1}},
        None,
        {},
        None,
    ),
    ("Which systems came up?", 8, True, {P: 3, RE: 1, PAY: 2, C: 4}, HIDDEN_SIDES, None, {}, None),
    (
        "What did you learn?",
        7,
        True,
        FreeTextSummary(
            7, 5, ("apple pie", "banana bread", "Banana split", "cherry tree", "Éclair"), 5
        ),
        {},
        None,
        {},
        None,
    ),
    ("Anything else?", 3, True, FreeTextSummary(3, 2, (), 5), {}, None, {}, None),
]


def _figures(results) -> list[tuple]:
    return [
        (
            r.question.text,
            r.respondents,
            r.visible,
            r.overall,
            r.by_side,
            r.change,
            r.change_by_side,
            r.paired,
        )
        for r in results.questions
    ]


@pytest.mark.django_db
def test_the_figures_the_report_reads_with_the_interval_are_these(programme):
    evaluation, _ = fixed_results_world(programme)
    results = survey_results(evaluation, interval=True)
    assert (results.threshold, results.submitted, results.expected) == (5, 17, 18)
    assert _figures(results) == EXPECTED_FIGURES


@pytest.mark.django_db
def test_without_the_interval_the_figures_are_the_same_and_the_interval_is_not_computed(
    programme,
):
    evaluation, _ = fixed_results_world(programme)
    without = _figures(survey_results(evaluation))
    assert without[0][7] == PairedChange(12, 1.2)
    assert without[1:] == EXPECTED_FIGURES[1:]

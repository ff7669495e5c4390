"""How a survey's submitted answers are counted: by the database, never one answer at a time.

The results (`selectors.survey_results`) read only these counts: for each question, how many on
each side gave each distinct answer (a scale value, a choice), how many wrote a free-text answer,
and for the scale questions paired with the baseline, how many gave each difference between
their two answers. Free text itself is read only where its author allowed quoting
(`quotable_texts`), and never kept anywhere.

A survey's counts change only when someone sends their answers, when a response is deleted,
and when someone is erased (their response then belongs to nobody, and their words go): each
of these changes how many responses were sent or how many belong to nobody. Once a survey has
closed nobody can send any more, so its counts are kept in the cache under a key that holds
those figures for it and its baseline (`Completion.key`): any change makes a new key, and a
kept count is never read for answers that have changed. Thresholds are applied afresh on
every read, so a change of threshold needs no new count.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)

from .models import Answer, Question, QuestionKind, Response, Survey

SCALES = (QuestionKind.AGREE, QuestionKind.SCALE10)
SUBMITTED = Q(response__submitted_at__isnull=False)
TEXT = Q(question__kind=QuestionKind.TEXT)
ERASED_WORDS = Q(value="")  # what an erasure leaves of someone's free-text answer
KEPT_FOR_SECONDS = 7 * 24 * 3600
VERSION = 1  # of what is kept: a new way of counting starts afresh


@dataclass
class Counted:
    """One question's submitted answers: for a scale or a choice, how many on each side gave
    each distinct answer; for free text, how many wrote an answer."""

    given: list[tuple[str, object, int]] = field(default_factory=list)  # (side, answer, how many)
    written: int = 0

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.given)

    def of_side(self, side: str | None = None) -> list[tuple[object, int]]:
        """(answer, how many) of one side, or of everyone."""
        return [(answer, n) for s, answer, n in self.given if side is None or s == side]


@dataclass(frozen=True)
class AnswerCounts:
    counted: dict[int, Counted]  # by question, the survey's and its baseline's
    differences: dict[int, Counter[int]]  # by keyed question: evaluation minus baseline answer

    def of(self, question: Question) -> Counted:
        return self.counted.get(question.pk, Counted())


@dataclass(frozen=True)
class Completion:
    """How many sent the survey and how many it is for (see `not_yet_sent`); and what its
    counts depend on."""

    submitted: int
    expected: int
    erased: int  # sent, now belonging to nobody
    baseline_submitted: int
    baseline_erased: int

    def key(self, survey: Survey, baseline: Survey | None) -> str:
        """Where the survey's counts are kept: a survey's id with its creation time, so an id a
        database gives out again never finds another survey's counts."""
        surveys = [survey] if baseline is None else [survey, baseline]
        made = ":".join(f"{s.pk}@{s.created_at.timestamp()}" for s in surveys)
        sent = (self.submitted, self.erased, self.baseline_submitted, self.baseline_erased)
        return f"survey-counts:v{VERSION}:{made}:" + ":".join(map(str, sent))


def not_yet_sent(audience: QuerySet, survey: OuterRef) -> QuerySet:
    """The members of a survey's `audience` who have not sent it, inside a subquery of the
    survey that `survey` refers to. A survey is for everyone who sent it and everyone in its
    audience who has not: those who sent it and have since been erased or left it are still
    among those it was for, as their answers still count in its figures."""
    sent = Response.objects.filter(
        survey=survey, respondent=OuterRef("user"), submitted_at__isnull=False
    )
    return audience.filter(~Exists(sent))


def completion(survey: Survey, baseline: Survey | None, audience: QuerySet) -> Completion:
    """One query: how many sent the survey (and its baseline), how many of those responses
    belong to nobody, and how many of `audience` have not sent it yet."""
    sent = Q(responses__submitted_at__isnull=False)
    waiting = not_yet_sent(audience, OuterRef(OuterRef("pk")))
    not_sent = waiting.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    rows = (
        Survey.objects.filter(pk__in=[survey.pk] if baseline is None else [survey.pk, baseline.pk])
        .annotate(
            sent=Count("responses", filter=sent),
            erased=Count("responses", filter=sent & Q(responses__respondent__isnull=True)),
            not_sent=Subquery(not_sent, output_field=IntegerField()),  # a COUNT: 0 for none
        )
        .values_list("pk", "sent", "erased", "not_sent")
    )
    found = {pk: (sent, erased, not_sent) for pk, sent, erased, not_sent in rows}
    submitted, erased, not_sent = found[survey.pk]
    baseline_submitted, baseline_erased, _ = found.get(baseline.pk if baseline else None, (0, 0, 0))
    return Completion(submitted, submitted + not_sent, erased, baseline_submitted, baseline_erased)


def answer_counts(survey: Survey, baseline: Survey | None, done: Completion) -> AnswerCounts:
    """The survey's counts (and its baseline's): kept once it has closed (see above)."""
    if not survey.has_closed():
        return _answer_counts(survey, baseline)
    key = done.key(survey, baseline)
    counts = cache.get(key)
    if counts is None:
        counts = _answer_counts(survey, baseline)
        cache.set(key, counts, KEPT_FOR_SECONDS)
    return counts


def _answer_counts(survey: Survey, baseline: Survey | None) -> AnswerCounts:
    counted = _counted([survey.pk] if baseline is None else [survey.pk, baseline.pk])
    return AnswerCounts(counted, {} if baseline is None else _paired(survey, baseline))


def _counted(surveys: list[int]) -> dict[int, Counted]:
    """The submitted answers of the surveys, counted in one query by question, side and
    answer; of free text, only how many wrote one."""
    rows = (
        Answer.objects.filter(SUBMITTED, response__survey__in=surveys)
        .exclude(TEXT & ERASED_WORDS)
        .annotate(given=Case(When(~TEXT, then=F("value"))))
        .values("question_id", "question__kind", "response__side", "given")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted: dict[int, Counted] = defaultdict(Counted)
    for row in rows:
        found = counted[row["question_id"]]
        if row["question__kind"] == QuestionKind.TEXT:
            found.written += row["n"]
        else:
            found.given.append((row["response__side"], row["given"], row["n"]))
    return dict(counted)


# The one join the ORM cannot write: each answer with the same person's answer to the same
# question in the baseline. It would need a way from a person to their responses, which the
# models leave out on purpose (`Response.respondent` has no reverse relation). The surveys'
# ids come from rows read through the organisation's scoped managers; only scale values are
# read, never text.
_PAIRED_SQL = """
SELECT a.question_id, a.value, b.value, COUNT(*)
FROM {answer} a
JOIN {response} ra ON ra.id = a.response_id
JOIN {question} qa ON qa.id = a.question_id
JOIN {response} rb ON rb.respondent_id = ra.respondent_id
JOIN {question} qb ON qb.survey_id = rb.survey_id AND qb.key = qa.key
JOIN {answer} b ON b.response_id = rb.id AND b.question_id = qb.id
WHERE ra.survey_id = %s AND rb.survey_id = %s
  AND ra.submitted_at IS NOT NULL AND rb.submitted_at IS NOT NULL
  AND qa.key <> '' AND qa.kind IN ({scales}) AND qb.kind IN ({scales})
GROUP BY a.question_id, a.value, b.value
"""


def _paired(survey: Survey, baseline: Survey) -> dict[int, Counter[int]]:
    """For each keyed scale question: how many of those who answered it in both surveys gave
    each difference, their evaluation answer minus their own baseline answer (one query). An
    answer linked to nobody after an erasure pairs with no one (NULL joins nothing)."""
    sql = _PAIRED_SQL.format(
        answer=Answer._meta.db_table,
        response=Response._meta.db_table,
        question=Question._meta.db_table,
        scales=", ".join(["%s"] * len(SCALES)),
    )
    value = Answer._meta.get_field("value")
    differences: dict[int, Counter[int]] = defaultdict(Counter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey.pk, baseline.pk, *SCALES, *SCALES])
        for question_id, after, before, n in cursor.fetchall():
            after, before = (value.from_db_value(v, None, connection) for v in (after, before))
            differences[question_id][int(after) - int(before)] += n
    return dict(differences)


def quotable_texts(questions: list[Question]) -> dict[int, list[str]]:
    """The sent free-text answers to these questions that their authors allowed to be quoted
    (one query; only those rows are read). Whether any is shown is `anonymity`'s to say."""
    texts: dict[int, list[str]] = defaultdict(list)
    rows = (
        Answer.objects.filter(SUBMITTED, question__in=questions, may_quote=True)
        .exclude(ERASED_WORDS)
        .values_list("question_id", "value")
    )
    for question_id, value in rows:
        texts[question_id].append(str(value))
    return texts

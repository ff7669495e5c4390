"""A closed survey's counts are kept, and never read again once the answers behind them change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.erasure import account_erase
from surveys.models import Response
from surveys.selectors import survey_results

from .test_results_pinned import fixed_results_world


def _answer_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "surveys_answer" in q["sql"]]


@pytest.mark.django_db
def test_a_closed_surveys_counts_are_read_from_what_was_kept_the_second_time(programme):
    evaluation, _ = fixed_results_world(programme)
    first = survey_results(evaluation)
    with CaptureQueriesContext(connection) as queries:
        again = survey_results(evaluation)
    assert again.questions == first.questions
    # Only the quotable texts are read again: the counts come from the cache.
    reads = _answer_reads(queries)
    assert len(reads) == 1 and "may_quote" in reads[0]


@pytest.mark.django_db
def test_an_erasure_after_the_results_were_read_shows_at_once(programme):
    evaluation, baseline = fixed_results_world(programme)
    belonging = survey_results(evaluation).questions[0]
    assert belonging.paired.count == 12
    someone = Response.objects.filter(survey=baseline, respondent__isnull=False).first()
    account_erase(person=someone.respondent)
    after = survey_results(evaluation).questions[0]
    # They now answered both surveys as nobody: paired with no one.
    assert after.paired.count == 11
    assert after.overall == belonging.overall


@pytest.mark.django_db
def test_a_survey_still_open_is_counted_afresh_each_time(programme):
    evaluation, _ = fixed_results_world(programme)
    evaluation.closes_on = evaluation.opens_on.replace(year=evaluation.opens_on.year + 1)
    evaluation.save()
    survey_results(evaluation)
    with CaptureQueriesContext(connection) as queries:
        survey_results(evaluation)
    assert len(_answer_reads(queries)) == 3  # the counts, the pairs and the quotable texts

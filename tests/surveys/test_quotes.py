"""However many allowed their answer to be quoted, the results page shows the first few of each
question, and the question's own pages all of them, a page at a time, in the same order."""

import pytest

from surveys import views

from ..factories import (
    ALL_ROLES,
    alternating_participants,
    answer,
    close_survey,
    open_mid_point_survey,
)
from ..pages import page_text
from ..urls import programme_url

WRITERS = 23


def _quoted_survey(programme, writers: int = WRITERS):
    survey = open_mid_point_survey(programme)
    for n, user in enumerate(alternating_participants(programme, writers)):
        answer(survey, user, text=f"Answer {n:02d}", quote=n % 4 != 3)
    close_survey(survey)
    return survey, survey.questions.get(kind="text")


def _allowed(writers: int = WRITERS) -> list[str]:
    return [f"Answer {n:02d}" for n in range(writers) if n % 4 != 3]


@pytest.mark.django_db
def test_the_results_show_the_first_quotes_and_lead_to_all_of_them(client, programme, people):
    survey, question = _quoted_survey(programme)
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:results", programme, survey.pk)))
    allowed = _allowed()
    assert f"{WRITERS} people wrote an answer; {len(allowed)} of them allowed quoting." in page
    assert " ".join(allowed[:10]) in page and allowed[10] not in page
    assert f"All {len(allowed)} quoted answers (the first 10 are above)" in page
    quotes_url = programme_url("surveys:quotes", programme, survey.pk, question.pk)
    assert (
        quotes_url
        in client.get(programme_url("surveys:results", programme, survey.pk)).content.decode()
    )
    page = page_text(client.get(quotes_url))
    assert " ".join(allowed) in page
    assert "Answer 03" not in page and "Answer 07" not in page  # they did not allow it


@pytest.mark.django_db
def test_the_quoted_answers_come_a_page_at_a_time(client, programme, people, monkeypatch):
    monkeypatch.setattr(views, "QUOTES_PAGE_SIZE", 7)
    survey, question = _quoted_survey(programme)
    client.force_login(people["executive"])
    url = programme_url("surveys:quotes", programme, survey.pk, question.pk)
    allowed = _allowed()
    shown = []
    for number in (1, 2, 3):
        page = page_text(client.get(f"{url}?page={number}"))
        shown += [quote for quote in allowed if quote in page]
        assert f"Page {number} of 3" in page
    assert shown == allowed


@pytest.mark.django_db
def test_nothing_is_quoted_on_its_own_pages_either_when_too_few_wrote(client, programme, people):
    survey, question = _quoted_survey(programme, writers=4)
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:quotes", programme, survey.pk, question.pk)))
    assert "Nothing is quoted. Fewer than 5 people wrote an answer." in page
    assert "Answer 00" not in page


@pytest.mark.django_db
def test_only_free_text_of_a_closed_survey_has_quoted_answers(client, programme, people):
    survey, _ = _quoted_survey(programme)
    agree = survey.questions.get(kind="agree")
    client.force_login(people["coordinator"])
    assert (
        client.get(programme_url("surveys:quotes", programme, survey.pk, agree.pk)).status_code
        == 404
    )
    still_open = open_mid_point_survey(programme)
    for user in alternating_participants(programme, 6):
        answer(still_open, user, text="Not yet", quote=True)
    url = programme_url(
        "surveys:quotes", programme, still_open.pk, still_open.questions.get(kind="text").pk
    )
    page = page_text(client.get(url))
    assert "Results appear once the survey closes" in page and "Not yet" not in page


@pytest.mark.django_db
def test_only_coordinators_and_executive_sponsors_read_the_quoted_answers(
    client, programme, people
):
    survey, question = _quoted_survey(programme)
    url = programme_url("surveys:quotes", programme, survey.pk, question.pk)
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in {"coordinator", "executive"} else 403
        assert client.get(url).status_code == expected, who

"""The readiness score rises as the evidence of a sound set-up is added."""

from datetime import date

import pytest
from django.utils import timezone

from programmes.selectors import programme_readiness
from programmes.services import ethics_statement_set, sign_off_record

from ..urls import programme_url


def board_signs_off(programme, executive) -> None:
    sign_off_record(
        programme=programme,
        signed_off_by="Board",
        signed_off_on=date(2026, 9, 1),
        note="",
        recorded_by=executive,
    )


@pytest.mark.django_db
def test_readiness_rises_as_evidence_is_added(client, programme, people):
    today = timezone.localdate()
    start = programme_readiness(programme, today)
    assert 0 < start.score < 100
    ethics_statement_set(programme=programme, text="Ground rules")
    board_signs_off(programme, people["executive"])
    after = programme_readiness(programme, today)
    assert after.met == start.met + 2
    assert after.score > start.score
    client.force_login(people["coordinator"])
    page = client.get(programme_url("programmes:readiness", programme)).content.decode()
    assert f'data-testid="readiness-score">{after.score}<' in page
    assert "Missing:</span> <a href=" in page


@pytest.mark.django_db
def test_the_readiness_page_takes_nine_queries_however_much_is_set_up(client, programme, people):
    """Five for the signed-in person and the programme, then one each for the roles, the tasks,
    the steering invitations and everything else the checks count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = programme_url("programmes:readiness", programme)
    client.force_login(people["coordinator"])
    client.get(url)  # what a first visit sets up once
    with CaptureQueriesContext(connection) as bare:
        client.get(url)
    board_signs_off(programme, people["executive"])
    ethics_statement_set(programme=programme, text="Ground rules")
    with CaptureQueriesContext(connection) as set_up:
        page = client.get(url).content.decode()
    assert "In place:</span> Top team&#x27;s sign-off recorded" in page
    assert "In place:</span> Ethics statement set" in page
    assert (len(bare), len(set_up)) == (9, 9)

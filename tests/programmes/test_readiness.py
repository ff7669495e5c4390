"""The readiness score rises as the evidence of a sound set-up is added."""

from datetime import date

import pytest
from django.utils import timezone

from programmes.selectors import programme_readiness
from programmes.services import ethics_statement_set, sign_off_record

from ..urls import programme_url


@pytest.mark.django_db
def test_readiness_rises_as_evidence_is_added(client, programme, people):
    today = timezone.localdate()
    start = programme_readiness(programme, today)
    assert 0 < start.score < 100
    ethics_statement_set(programme=programme, text="Ground rules")
    sign_off_record(
        programme=programme,
        signed_off_by="Board",
        signed_off_on=date(2026, 9, 1),
        note="",
        recorded_by=people["executive"],
    )
    after = programme_readiness(programme, today)
    assert after.met == start.met + 2
    assert after.score > start.score
    client.force_login(people["coordinator"])
    page = client.get(programme_url("programmes:readiness", programme)).content.decode()
    assert f'data-testid="readiness-score">{after.score}<' in page
    assert "Missing:</span> <a href=" in page

"""Training sessions: the form, who sees which session, attendance and completion."""

from datetime import timedelta

import pytest
from django.utils import timezone

from organisations.roles import Role, Side
from programmes.models import TrainingAttendance
from programmes.services import attendance_set

from .. import factories
from ..urls import programme_url


@pytest.mark.django_db
def test_training_attendance_shows_how_many_completed_initial_training(client, programme, people):
    extra_junior = factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR)
    session = factories.training_session(
        programme,
        title="Intensive day",
        starts_at=timezone.now() - timedelta(days=2),
        duration_minutes=420,
    )
    outsider_participant = factories.programme_person(
        factories.programme(programme.organisation), Role.PARTICIPANT, Side.SENIOR
    )
    attendance_set(
        session=session,
        participant_ids=[people["senior"].pk, extra_junior.pk, outsider_participant.pk],
    )
    assert TrainingAttendance.objects.count() == 2  # not someone from another programme
    client.force_login(people["coordinator"])
    timeline = client.get(programme_url("programmes:timeline", programme)).content.decode()
    assert "Initial training completed by 2 of 3 participants." in timeline


@pytest.mark.django_db
def test_training_form_rejects_bad_input_and_participants_see_their_sides_sessions(
    client, programme, people
):
    client.force_login(people["coordinator"])
    bad = client.post(
        programme_url("programmes:training", programme),
        {"title": "Seniors only", "duration_minutes": "5"},
    )
    assert bad.status_code == 400
    assert "Choose between 15 and 600 minutes." in bad.content.decode()
    for title, audience in [("Seniors only", "senior"), ("Juniors only", "junior")]:
        client.post(
            programme_url("programmes:training", programme),
            {
                "title": title,
                "kind": "initial",
                "format": "virtual",
                "audience": audience,
                "starts_at": "2027-01-12T10:00",
                "duration_minutes": "120",
            },
        )
    client.force_login(people["junior"])
    page = client.get(programme_url("programmes:training", programme)).content.decode()
    assert "<td>Juniors only<br>" in page and "<td>Seniors only<br>" not in page
    assert client.post(programme_url("programmes:training", programme), {}).status_code == 403


@pytest.mark.django_db
def test_attendance_accepts_only_people_of_the_sessions_audience(client, programme, people):
    session = factories.training_session(programme)
    client.force_login(people["coordinator"])
    attendance = programme_url("programmes:training_attendance", programme, session.pk)
    for hostile in ("9" * 30, "-1", "x", str(people["steering"].pk)):
        response = client.post(attendance, {"attended": [hostile]})
        assert response.status_code == 400
        assert "Tick only people listed for this session." in response.content.decode()
    assert not TrainingAttendance.objects.filter(session=session).exists()
    # Refused, the list shows the ticks as they were sent, not as saved.
    sent = client.post(attendance, {"attended": [people["senior"].pk, "9" * 30]}).content.decode()
    assert "Nothing was saved." in sent
    assert f'value="{people["senior"].pk}" id="attended-{people["senior"].pk}" checked' in sent
    assert f'value="{people["junior"].pk}" id="attended-{people["junior"].pk}">' in sent
    client.post(attendance, {"attended": [people["senior"].pk]})
    assert list(TrainingAttendance.objects.values_list("participant", flat=True)) == [
        people["senior"].pk
    ]


@pytest.mark.django_db
def test_the_training_list_shows_upcoming_or_past_sessions_of_one_kind(client, programme, people):
    now = timezone.now()
    factories.training_session(programme, title="Intensive day", starts_at=now - timedelta(days=30))
    factories.training_session(programme, title="Second block", starts_at=now + timedelta(days=3))
    factories.training_session(
        programme, title="Six-month workshop", kind="follow_up", starts_at=now + timedelta(days=90)
    )
    client.force_login(people["coordinator"])
    url = programme_url("programmes:training", programme)

    def titles(**query) -> set[str]:
        html = client.get(url, query).content.decode()
        return {t for t in ("Intensive day", "Second block", "Six-month workshop") if t in html}

    assert titles() == {"Intensive day", "Second block", "Six-month workshop"}
    assert titles(when="upcoming") == {"Second block", "Six-month workshop"}
    assert titles(when="past") == {"Intensive day"}
    assert titles(when="upcoming", kind="initial") == {"Second block"}
    assert (
        "No session matches."
        in client.get(url, {"when": "past", "kind": "follow_up"}).content.decode()
    )
    assert "Select a valid choice" in client.get(url, {"when": "someday"}).content.decode()
    assert titles(when="someday") == {"Intensive day", "Second block", "Six-month workshop"}

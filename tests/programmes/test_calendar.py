"""Each person's calendar feed of the programme."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from programmes.models import CalendarFeed, EthicsAcknowledgement, ProgrammeMember
from programmes.services import ethics_statement_set

from .. import factories
from ..urls import programme_url


@pytest.mark.django_db
def test_the_calendar_feed_lists_stages_training_and_sessions_and_can_be_reset(
    client, programme, people
):
    factories.training_session(
        programme,
        title="Junior briefing",
        format="virtual",
        audience="junior",
        starts_at=timezone.now() + timedelta(days=20),
    )
    client.force_login(people["senior"])
    url = programme_url("programmes:calendar", programme)
    assert "Make my calendar address" in client.get(url).content.decode()
    assert not CalendarFeed.objects.filter(user=people["senior"]).exists()  # a GET writes nothing
    made = client.post(url, follow=True).content.decode()
    assert "Your calendar address is ready." in made
    feed = CalendarFeed.objects.get(user=people["senior"])
    assert feed.token in made
    assert feed.token in client.get(url).content.decode()
    client.logout()  # calendar apps do not sign in
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert "Stage 1: Commissioning" in summaries
    assert "First combined group session (stage 8)" in summaries
    assert not any("Junior briefing" in s for s in summaries)  # not the senior side's
    assert [str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]

    client.force_login(people["senior"])
    client.post(programme_url("programmes:calendar", programme))
    client.logout()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
    feed.refresh_from_db()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
    ProgrammeMember.objects.filter(user=people["senior"]).delete()  # left the programme
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


@pytest.mark.django_db
def test_a_participant_gets_the_calendar_only_after_accepting_the_ground_rules(
    client, programme, people
):
    feed = CalendarFeed.objects.create(programme=programme, user=people["junior"])
    ethics_statement_set(programme=programme, text="Ground rules")
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404
    EthicsAcknowledgement.objects.create(
        programme=programme, user=people["junior"], version=1, text="Ground rules"
    )
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "data", "field"),
    [
        ("stage_dates", {"start": "2027-01-04", "end": "9999-12-31"}, "end"),
        (
            "new",
            {"name": "Far", "start_date": "9999-09-01", "reminder_lead_days": "7"},
            "start_date",
        ),
        (
            "training",
            {
                "title": "Briefing",
                "kind": "initial",
                "starts_at": "0001-01-01T00:00",
                "duration_minutes": "60",
                "format": "virtual",
                "audience": "everyone",
            },
            "starts_at",
        ),
    ],
)
def test_a_date_no_programme_can_have_is_refused_next_to_its_field_and_breaks_nothing_later(
    client, programme, people, view, data, field
):
    """Years near 1 or 9999 overflowed: the timeline's arithmetic and the conversion to UTC
    answered 500, and a stage ending on 31 December 9999 broke every calendar feed and, on
    SQLite, every night's reminder sweep."""
    client.force_login(people["coordinator"])
    if view == "new":
        url = reverse("programmes:new", args=[programme.organisation.slug])
    elif view == "stage_dates":
        url = programme_url("programmes:stage_dates", programme, programme.stages.first().pk)
    else:
        url = programme_url("programmes:training", programme)
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a date between 1900 and 2199." in page
    assert f'value="{data[field]}"' in page  # what was typed stays, to be corrected
    client.post(programme_url("programmes:calendar", programme))
    feed = CalendarFeed.objects.get(user=people["coordinator"])
    client.logout()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200

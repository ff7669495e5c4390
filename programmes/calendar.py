"""The iCalendar feed of a programme: stages, training sessions and combined group sessions, and
whatever the apps above add for the person (their supervision sessions)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from organisations.models import User

from .hooks import calendar_events
from .models import Programme
from .selectors import group_sessions, programme_stages, training_sessions_for


@dataclass(frozen=True)
class CalendarEvent:
    """An event an app above adds to a person's feed; `uid` must be stable and unique."""

    uid: str
    summary: str
    starts: datetime
    ends: datetime
    description: str = ""
    location: str = ""


def programme_calendar(programme: Programme, user: User, *, sees_all: bool) -> bytes:
    """One person's view of the programme's dates, for Outlook, Google or Apple Calendar.

    Event UIDs are stable, so a calendar that refreshes the feed updates events in place.
    """
    # Here, not at import: the feed is the one request that needs icalendar (some 80 modules,
    # 3 MiB in every web worker otherwise).
    from icalendar import Calendar, Event

    zone = programme.organisation.zone
    domain = settings.SITE_URL.split("//")[-1].split("/")[0] or "mentoring"
    calendar = Calendar()
    calendar.add("prodid", "-//Reciprocal Mentoring//Programme calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{programme.name} ({programme.organisation.name})")
    calendar.add("x-wr-timezone", programme.organisation.time_zone)
    for stage in programme_stages(programme):
        event = Event()
        event.add("uid", f"stage-{stage.pk}@{domain}")
        event.add("summary", f"Stage {stage.number}: {stage.name}")
        event.add("description", stage.summary)
        event.add("dtstart", stage.planned_start)
        event.add("dtend", stage.planned_end + timedelta(days=1))  # all-day ends are exclusive
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for session in training_sessions_for(programme, user, sees_all):
        event = Event()
        starts = session.starts_at.astimezone(zone)
        event.add("uid", f"training-{session.pk}@{domain}")
        event.add("summary", f"{session.title} ({session.get_kind_display()})")
        event.add(
            "description",
            f"{session.get_format_display()}, {session.get_audience_display().lower()}."
            + (f"\n{session.topics}" if session.topics else ""),
        )
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(minutes=session.duration_minutes))
        if session.location:
            event.add("location", session.location)
        calendar.add_component(event)
    for session in group_sessions(programme):
        event = Event()
        starts = datetime.combine(session.date, session.start_time, tzinfo=zone)
        event.add("uid", f"group-session-{session.pk}@{domain}")
        event.add("summary", f"{session} (stage {session.stage_number})")
        event.add("description", "All pairs together to work on the systemic issues.")
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(minutes=session.duration_minutes))
        if session.location:
            event.add("location", session.location)
        calendar.add_component(event)
    for events in calendar_events.send(programme=programme, user=user):
        for added in events:
            event = Event()
            event.add("uid", f"{added.uid}@{domain}")
            event.add("summary", added.summary)
            if added.description:
                event.add("description", added.description)
            event.add("dtstart", added.starts.astimezone(zone))
            event.add("dtend", added.ends.astimezone(zone))
            if added.location:
                event.add("location", added.location)
            calendar.add_component(event)
    calendar.add_missing_timezones()  # VTIMEZONE blocks, so Outlook places times correctly
    return calendar.to_ical()

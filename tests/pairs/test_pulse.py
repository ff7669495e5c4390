"""The pulse after each meeting: flags that name nobody and quote no answer."""

import dataclasses
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pairs.models import Pulse
from pairs.pulse import COMMENT_PRIVACY, FLAGS_NOTE, PULSE_PRIVACY, PulseAnswers, pulse_flags

from ..factories import log_meeting, pulse_answer
from ..urls import programme_url


@pytest.mark.django_db
def test_contrasting_pulses_raise_a_flag_but_never_show_the_answers(client, pair, people):
    meeting = log_meeting(pair, people["senior"])
    pulse_answer(meeting, people["senior"], 5, comment="Brilliant conversation")
    pulse_answer(meeting, people["junior"], 1, comment="I held back a lot")
    pair.refresh_from_db()
    assert "The partners see “could speak openly” very differently" in pair.pulse_flags

    client.force_login(people["coordinator"])
    dashboard = client.get(programme_url("pairs:pairs", pair.programme)).content.decode()
    detail = client.get(programme_url("pairs:pair", pair.programme, pair.pk)).content.decode()
    for page in (dashboard, detail):
        assert "could speak openly" in page
        assert "Brilliant conversation" not in page and "I held back" not in page
    assert dashboard.index(pair.senior.full_name) < dashboard.index("very differently")


@pytest.mark.django_db
def test_the_pulse_tells_the_partner_exactly_what_the_coordinator_sees(client, pair, people):
    meeting = log_meeting(pair, people["junior"])
    client.force_login(people["junior"])
    target = programme_url("pairs:my_pair", pair.programme)
    page = client.get(target).content.decode()
    assert PULSE_PRIVACY in page and COMMENT_PRIVACY in page
    for untrue in ("Nobody sees your answers", "not even the coordinator"):
        assert untrue not in page
    answers = {f"p{meeting.pk}-{k}": "4" for k in ["spoke_openly", "learned", "partner_learned"]}
    response = client.post(
        programme_url("pairs:send_pulse", pair.programme, meeting.pk),
        {f"p{meeting.pk}-going": "4", **answers},
        follow=True,
    )
    thanks = response.content.decode()
    assert f"Thank you. {PULSE_PRIVACY}" in thanks
    assert "Nobody sees your answers" not in thanks


def flag_texts(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</(?:span|td)>', html, re.DOTALL)


@pytest.mark.django_db
def test_the_coordinator_sees_flags_that_name_nobody_and_quote_no_answer(client, pair, people):
    meeting = log_meeting(pair, people["senior"])
    pulse_answer(meeting, people["senior"], 5, comment="COMMENT-SECRET")
    pulse_answer(meeting, people["junior"], 1, comment="COMMENT-SECRET")
    client.force_login(people["coordinator"])
    detail = client.get(programme_url("pairs:pair", pair.programme, pair.pk)).content.decode()
    dashboard = client.get(programme_url("pairs:pairs", pair.programme)).content.decode()
    shown = flag_texts(detail, "pulse-flags") + flag_texts(dashboard, "attention")
    assert len(shown) == 2 and all("very differently" in text for text in shown)
    for text in shown:
        for person in (pair.senior.full_name, pair.junior.full_name, "senior", "junior", "Senior"):
            assert person not in text
        assert "COMMENT-SECRET" not in text and not re.search(r"\b[1-5]\b", text)
    assert FLAGS_NOTE in detail and FLAGS_NOTE in dashboard


@pytest.mark.django_db
def test_a_comment_never_raises_a_flag(pair, people):
    meeting = log_meeting(pair, people["senior"])
    pulse_answer(meeting, people["senior"], 5, comment="I want out, this is not working at all")
    pulse_answer(meeting, people["junior"], 5, comment="Awful, I dread every meeting")
    pair.refresh_from_db()
    assert pair.pulse_flags == []
    assert "comment" not in {f.name for f in dataclasses.fields(PulseAnswers)}


answers_strategy = st.builds(PulseAnswers, *[st.integers(1, 5)] * 4)


@given(answers_strategy, answers_strategy)
def test_the_flags_are_the_same_whichever_partner_answered_what(first, second):
    assert pulse_flags(first, second) == pulse_flags(second, first)


@pytest.mark.django_db
def test_a_partner_answers_the_pulse_once_per_meeting(client, pair, people):
    meeting = log_meeting(pair, people["junior"])
    client.force_login(people["junior"])
    target = programme_url("pairs:send_pulse", pair.programme, meeting.pk)
    prefix = f"p{meeting.pk}"
    answers = {
        f"{prefix}-{k}": "4" for k in ["spoke_openly", "learned", "partner_learned", "going"]
    }
    missing = client.post(target, {})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    client.post(target, answers)
    again = client.post(target, answers)
    assert again.status_code == 400
    assert "You have already answered the pulse for this meeting." in again.content.decode()
    assert Pulse.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db
def test_one_pulse_alone_raises_no_flag_so_nobody_can_tell_who_answered(pair, people):
    meeting = log_meeting(pair, people["senior"])
    pulse_answer(meeting, people["junior"], 1)
    pair.refresh_from_db()
    assert pair.pulse_flags == []
    pulse_answer(meeting, people["senior"], 3)
    pair.refresh_from_db()
    assert "A low answer on “could speak openly”" in pair.pulse_flags


@pytest.mark.django_db
def test_the_forms_are_for_the_latest_meeting_and_an_earlier_one_is_a_link_away(
    client, pair, people
):
    earlier = log_meeting(pair, people["junior"], day=date(2026, 10, 1))
    latest = log_meeting(pair, people["junior"], day=date(2026, 11, 1))
    client.force_login(people["junior"])
    target = programme_url("pairs:my_pair", pair.programme)
    page = client.get(target).content.decode()
    assert page.count('data-testid="pulse-form"') == 1
    assert f'name="p{latest.pk}-going"' in page and f'name="p{earlier.pk}-going"' not in page
    assert f'href="?meeting={earlier.pk}#meeting-{earlier.pk}"' in page

    chosen = client.get(target, {"meeting": earlier.pk}).content.decode()
    assert f'name="p{earlier.pk}-going"' in chosen and f'name="p{latest.pk}-going"' not in chosen

    # Refused, the form comes back on the meeting it was sent for, with what was typed.
    refused = client.post(
        programme_url("pairs:send_pulse", pair.programme, earlier.pk),
        {f"p{earlier.pk}-going": "4", f"p{earlier.pk}-comment": "Half the story"},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'name="p{earlier.pk}-going"' in html and "Half the story" in html
    assert f'name="p{latest.pk}-going"' not in html

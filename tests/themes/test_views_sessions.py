"""A combined session's agenda on its page: the coordinator adds recurring themes, participants
volunteer to lead, the coordinator confirms a lead, volunteers withdraw; and the analysis page,
previewed and sent by the coordinator, read by those it went to."""

import html

import pytest

from themes.models import AgendaItem, LeadOffer, ThemeAnalysis
from themes.services import agenda_item_add, lead_offer

from ..mailbox import delivered
from ..pages import page_text as raw_page_text
from ..urls import programme_url
from .conftest import DRAFT_WORDS, draft, grouped, shared


def page_text(response) -> str:
    return html.unescape(raw_page_text(response))


def session_page(client, programme, session) -> str:
    return page_text(client.get(programme_url("supervision:group_session", programme, session.pk)))


@pytest.fixture
def recurring(programme, pair, other_pair):
    return grouped(programme, "Unrecorded calibration", shared(pair), shared(other_pair))


@pytest.mark.django_db
def test_the_coordinator_puts_a_recurring_theme_on_the_agenda_and_a_participant_volunteers(
    client, programme, people, pair, facilitated, recurring
):
    client.force_login(people["coordinator"])
    said = page_text(
        client.post(
            programme_url("themes:agenda_add", programme, facilitated.pk),
            {"recurring": recurring.pk},
            follow=True,
        )
    )
    assert "On the agenda. Participants can now volunteer to lead it." in said
    item = AgendaItem.objects.get(session=facilitated)
    client.force_login(pair.junior.user)
    panel = session_page(client, programme, facilitated)
    assert "Unrecorded calibration · no lead yet" in panel and "I'll lead this" in panel
    said = page_text(
        client.post(programme_url("themes:volunteer", programme, item.pk), follow=True)
    )
    assert "Thank you for volunteering" in said and "Withdraw my offer" in said
    client.force_login(people["coordinator"])
    said = page_text(
        client.post(
            programme_url("themes:lead", programme, item.pk),
            {f"lead{item.pk}-lead": pair.junior.user.pk},
            follow=True,
        )
    )
    assert "Lead saved." in said and f"led by {pair.junior.user}" in said
    client.force_login(pair.junior.user)
    client.post(programme_url("themes:unvolunteer", programme, item.pk))
    item.refresh_from_db()
    assert item.lead is None and not LeadOffer.objects.exists()
    assert "no lead yet" in session_page(client, programme, facilitated)


@pytest.mark.django_db
def test_the_coordinator_confirms_only_a_volunteer_and_takes_an_item_off(
    client, programme, people, pair, other_pair, facilitated, recurring
):
    item = agenda_item_add(session=facilitated, recurring=recurring)
    lead_offer(item=item, user=pair.senior.user)
    client.force_login(people["coordinator"])
    refused = page_text(
        client.post(
            programme_url("themes:lead", programme, item.pk),
            {f"lead{item.pk}-lead": other_pair.senior.user.pk},
            follow=True,
        )
    )
    assert "That person is not, or no longer, among the volunteers to lead it" in refused
    item.refresh_from_db()
    assert item.lead is None
    said = page_text(
        client.post(programme_url("themes:agenda_remove", programme, item.pk), follow=True)
    )
    assert "Taken off the agenda." in said and not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_a_proposal_is_not_offered_for_the_agenda_and_a_forged_one_is_refused(
    client, programme, people, pair, facilitated, recurring
):
    recurring.status = "proposed"
    recurring.save()
    client.force_login(people["coordinator"])
    assert "Accept a recurring theme on the themes page" in session_page(
        client, programme, facilitated
    )
    refused = client.post(
        programme_url("themes:agenda_add", programme, facilitated.pk),
        {"recurring": recurring.pk},
        follow=True,
    )
    assert "That recurring theme is not, or no longer, accepted" in page_text(refused)
    assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_only_the_coordinator_keeps_the_agenda_and_only_participants_volunteer(
    client, programme, people, pair, facilitated, recurring
):
    item = agenda_item_add(session=facilitated, recurring=recurring)
    client.force_login(pair.senior.user)
    for name, args in (("themes:agenda_add", facilitated.pk), ("themes:lead", item.pk)):
        assert client.post(programme_url(name, programme, args)).status_code == 403
    assert client.post(programme_url("themes:agenda_remove", programme, item.pk)).status_code == 403
    for who in ("coordinator", "supervisor", "steering"):
        client.force_login(people[who])
        response = client.post(programme_url("themes:volunteer", programme, item.pk))
        assert response.status_code == 403, who
    client.force_login(people["outsider"])
    assert client.post(programme_url("themes:volunteer", programme, item.pk)).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists() and not LeadOffer.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_previews_the_analysis_sends_it_now_and_cannot_send_it_twice(
    client, programme, people, pair, facilitated, recurring
):
    draft(pair, "Ours alone", noticed=DRAFT_WORDS)
    url = programme_url("themes:analysis", programme, facilitated.pk)
    client.force_login(pair.senior.user)
    assert client.get(url).status_code == 404  # not gone out yet
    client.force_login(people["coordinator"])
    preview = page_text(client.get(url))
    assert "A preview: it goes out 7 days before the session" in preview
    assert "Unrecorded calibration" in preview and DRAFT_WORDS not in preview
    assert not ThemeAnalysis.objects.exists()  # a preview writes nothing
    send = programme_url("themes:analysis_send", programme, facilitated.pk)
    said = page_text(client.post(send, follow=True))
    assert "The analysis has gone to everyone invited and the facilitator." in said
    assert "Sent on" in said
    again = page_text(client.post(send, follow=True))
    assert "The analysis for this session has already gone out." in again
    assert ThemeAnalysis.objects.count() == 1
    assert len(delivered()) == 5  # four partners and the facilitator
    client.force_login(pair.senior.user)
    read = page_text(client.get(url))
    assert "Unrecorded calibration" in read and "Who is not included but should be?" in read
    panel = session_page(client, programme, facilitated)
    assert "The analysis of themes went out on" in panel


@pytest.mark.django_db
def test_the_analysis_reaches_neither_roles_outside_the_session_nor_other_organisations(
    client, programme, people, facilitated, recurring
):
    url = programme_url("themes:analysis", programme, facilitated.pk)
    client.force_login(people["coordinator"])
    client.post(programme_url("themes:analysis_send", programme, facilitated.pk))
    for who, status in (("steering", 404), ("executive", 404), ("outsider", 404)):
        client.force_login(people[who])
        assert client.get(url).status_code == status, who
    client.force_login(people["supervisor"])  # the facilitator
    assert client.get(url).status_code == 200
    client.force_login(people["senior"])
    send = client.post(programme_url("themes:analysis_send", programme, facilitated.pk))
    assert send.status_code == 403

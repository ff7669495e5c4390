"""Our themes: a partner records a theme at any time or after a meeting, both agree to share it,
either withdraws it; nobody outside the pair reaches any of it."""

import html
import re

import pytest
from django.utils import timezone

from themes.models import Source, Theme, ThemeConsent

from .. import factories
from ..pages import page_text as raw_page_text
from ..urls import programme_url
from .conftest import DRAFT_WORDS, draft, grouped, shared

FORM = {
    "source": "pair",
    "title": "Lunchtime meetings",
    "noticed": DRAFT_WORDS,
    "system": "culture",
}


def page_text(response) -> str:
    return html.unescape(raw_page_text(response))


def post_and_read(client, url: str, data: dict | None = None) -> str:
    return page_text(client.post(url, data or {}, follow=True))


@pytest.mark.django_db
def test_a_partner_records_a_theme_at_any_time_and_both_see_the_draft(client, programme, pair):
    client.force_login(pair.junior.user)
    said = post_and_read(
        client, programme_url("themes:add", programme), {**FORM, "quick_win": "on"}
    )
    assert "Saved as your pair's draft" in said
    theme = Theme.objects.get()
    assert (theme.pair, theme.added_by, theme.quick_win, theme.source) == (
        pair,
        pair.junior.user,
        True,
        Source.PAIR,
    )
    client.force_login(pair.senior.user)
    text = page_text(client.get(programme_url("themes:ours", programme)))
    assert "Lunchtime meetings" in text and DRAFT_WORDS in text and "Draft" in text
    assert "Neither of you has agreed to share it yet." in text


@pytest.mark.django_db
def test_a_theme_the_form_refuses_keeps_what_was_typed(client, programme, pair):
    client.force_login(pair.senior.user)
    response = client.post(programme_url("themes:add", programme), {**FORM, "title": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert DRAFT_WORDS in html and "This field is required." in html
    assert not Theme.objects.exists()


@pytest.mark.django_db
def test_after_a_logged_meeting_the_pairs_page_prompts_for_a_theme_from_it(client, programme, pair):
    meeting = factories.log_meeting(pair, pair.senior.user)
    client.force_login(pair.senior.user)
    partnership = client.get(programme_url("pairs:my_pair", programme)).content.decode()
    assert 'data-testid="theme-prompt"' in partnership
    prompt_url = f"{programme_url('themes:ours', programme)}?meeting={meeting.pk}"
    assert prompt_url in partnership
    form = page_text(client.get(prompt_url))
    assert "From your meeting on" in form
    client.post(programme_url("themes:add", programme), {**FORM, "meeting": meeting.pk})
    assert Theme.objects.get().meeting == meeting
    partnership = client.get(programme_url("pairs:my_pair", programme)).content.decode()
    assert 'data-testid="theme-prompt"' not in partnership  # that meeting has its theme
    panel = page_text(client.get(programme_url("pairs:my_pair", programme)))
    assert "Your pair's drafts: 1" in panel


@pytest.mark.django_db
def test_a_theme_from_a_meeting_the_form_refuses_still_comes_from_that_meeting(
    client, programme, pair
):
    """The refused page read the meeting from its own address, which a post does not carry: the
    note and the hidden field went, and the theme corrected and sent lost its meeting."""
    meeting = factories.log_meeting(pair, pair.senior.user)
    client.force_login(pair.senior.user)
    add = programme_url("themes:add", programme)
    refused = client.post(add, {**FORM, "title": "", "meeting": meeting.pk})
    assert refused.status_code == 400
    assert "From your meeting on" in page_text(refused)
    assert f'name="meeting" value="{meeting.pk}"' in refused.content.decode()
    client.post(add, {**FORM, "meeting": meeting.pk})
    assert Theme.objects.get().meeting == meeting
    assert client.post(add, {**FORM, "meeting": "9" * 30}).status_code == 302  # no such meeting


@pytest.mark.django_db
def test_a_meeting_of_another_pair_is_not_taken_for_ours(client, programme, pair, other_pair):
    theirs = factories.log_meeting(other_pair, other_pair.senior.user)
    client.force_login(pair.senior.user)
    assert "From your meeting on" not in page_text(
        client.get(programme_url("themes:ours", programme), {"meeting": theirs.pk})
    )
    client.post(programme_url("themes:add", programme), {**FORM, "meeting": theirs.pk})
    assert Theme.objects.get().meeting is None


@pytest.mark.django_db
def test_each_partner_adds_topics_from_their_peers(client, programme, pair):
    for partner in (pair.senior.user, pair.junior.user):
        client.force_login(partner)
        page = client.get(programme_url("themes:ours", programme), {"source": "peers"})
        assert re.search(r'name="source" value="peers"[^>]*checked', page.content.decode())
        client.post(programme_url("themes:add", programme), {**FORM, "source": "peers"})
    themes = Theme.objects.filter(source=Source.PEERS)
    assert {theme.added_by for theme in themes} == {pair.senior.user, pair.junior.user}
    assert "Topics from my peers" in page_text(client.get(programme_url("themes:ours", programme)))


@pytest.mark.django_db
def test_both_partners_agree_by_the_page_before_it_is_shared(client, programme, pair):
    theme = draft(pair)
    share = programme_url("themes:share", programme, theme.pk)
    client.force_login(pair.senior.user)
    said = post_and_read(client, share, {f"s{theme.pk}-with_names": "on"})
    assert "it is shared once your partner does" in said
    assert "You agreed to share it; your partner has not yet." in said
    theme.refresh_from_db()
    assert not theme.is_shared
    client.force_login(pair.junior.user)
    before = page_text(client.get(programme_url("themes:ours", programme)))
    assert "Your partner agreed to share it. It is shared once you agree too." in before
    said = post_and_read(client, share, {f"s{theme.pk}-with_names": "on"})
    assert "Shared with the cohort, with both your names." in said
    assert "not yet part of a recurring theme" in said
    theme.refresh_from_db()
    assert theme.is_shared and theme.named


@pytest.mark.django_db
def test_shared_without_names_when_one_partner_did_not_choose_names(client, programme, pair):
    theme = draft(pair)
    share = programme_url("themes:share", programme, theme.pk)
    client.force_login(pair.senior.user)
    client.post(share, {f"s{theme.pk}-with_names": "on"})
    client.force_login(pair.junior.user)
    assert "Shared with the cohort, without your names." in post_and_read(client, share)
    theme.refresh_from_db()
    assert theme.is_shared and not theme.named


@pytest.mark.django_db
def test_editing_a_draft_by_the_page_asks_the_partner_to_agree_again(client, programme, pair):
    theme = draft(pair)
    client.force_login(pair.senior.user)
    client.post(programme_url("themes:share", programme, theme.pk))
    client.force_login(pair.junior.user)
    said = post_and_read(
        client,
        programme_url("themes:edit", programme, theme.pk),
        {f"t{theme.pk}-{field}": value for field, value in {**FORM, "title": "Reworded"}.items()},
    )
    assert "Your partner is asked to agree to the new words." in said
    assert not ThemeConsent.objects.exists()
    theme.refresh_from_db()
    assert theme.title == "Reworded"
    refused = client.post(
        programme_url("themes:edit", programme, theme.pk),
        {f"t{theme.pk}-{field}": value for field, value in {**FORM, "title": ""}.items()},
    )
    assert refused.status_code == 400 and DRAFT_WORDS in refused.content.decode()


@pytest.mark.django_db
def test_a_partner_withdraws_a_shared_theme_until_the_analysis_locks_it(client, programme, pair):
    theme = shared(pair)
    client.force_login(pair.junior.user)
    page = page_text(client.get(programme_url("themes:ours", programme)))
    assert "Withdraw it" in page
    said = post_and_read(client, programme_url("themes:withdraw", programme, theme.pk))
    assert "Withdrawn: it is your pair's draft again." in said
    theme.refresh_from_db()
    assert not theme.is_shared
    theme = shared(pair)
    Theme.objects.filter(pk=theme.pk).update(locked_at=timezone.now())
    page = page_text(client.get(programme_url("themes:ours", programme)))
    assert "It went out in the analysis for a combined session." in page
    said = post_and_read(client, programme_url("themes:withdraw", programme, theme.pk))
    assert "so it can no longer be withdrawn" in said
    theme.refresh_from_db()
    assert theme.is_shared


@pytest.mark.django_db
def test_our_page_shows_where_our_shared_themes_went(client, programme, pair, other_pair):
    theme = shared(pair, "Calibration")
    grouped(programme, "Promotion calibration", theme, shared(other_pair))
    client.force_login(pair.senior.user)
    went = client.get(programme_url("themes:ours", programme)).content.decode()
    assert "Part of the recurring theme <strong>Promotion calibration</strong>." in went


@pytest.mark.django_db
def test_a_partner_deletes_a_draft(client, programme, pair):
    theme = draft(pair)
    client.force_login(pair.junior.user)
    assert "Deleted." in post_and_read(client, programme_url("themes:delete", programme, theme.pk))
    assert not Theme.objects.exists()


@pytest.mark.django_db
def test_a_participant_of_another_pair_reaches_none_of_our_themes(
    client, programme, pair, other_pair
):
    theme = draft(pair, noticed=DRAFT_WORDS)
    theme_shared = shared(pair, "Shared one")
    client.force_login(other_pair.senior.user)
    theirs = client.get(programme_url("themes:ours", programme))
    assert theirs.status_code == 200 and DRAFT_WORDS not in theirs.content.decode()
    assert "No themes yet." in page_text(theirs)
    for name, target, data in (
        ("themes:edit", theme, {f"t{theme.pk}-{k}": v for k, v in FORM.items()}),
        ("themes:share", theme, {}),
        ("themes:delete", theme, {}),
        ("themes:withdraw", theme_shared, {}),
    ):
        response = client.post(programme_url(name, programme, target.pk), data)
        assert response.status_code == 404, name
        assert DRAFT_WORDS not in response.content.decode()
    theme.refresh_from_db()
    assert (
        theme.title == "Calibration nobody records"
        and not ThemeConsent.objects.filter(theme=theme).exists()
    )
    assert Theme.objects.filter(pk=theme_shared.pk, shared_at__isnull=False).exists()


@pytest.mark.django_db
def test_who_is_not_a_partner_is_refused_our_themes(client, programme, pair, people):
    theme = draft(pair)
    for who, status in (("coordinator", 403), ("supervisor", 403), ("outsider", 404)):
        client.force_login(people[who])
        assert client.get(programme_url("themes:ours", programme)).status_code == status, who
        share = client.post(programme_url("themes:share", programme, theme.pk))
        assert share.status_code == status, who
    unpaired = factories.programme_person(programme, "participant", "senior")
    client.force_login(unpaired)
    assert client.get(programme_url("themes:ours", programme)).status_code == 404
    client.logout()
    assert client.get(programme_url("themes:ours", programme)).status_code == 302
    assert not ThemeConsent.objects.exists()

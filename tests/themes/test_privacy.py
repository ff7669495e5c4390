"""The words of a draft theme reach its pair only: never a log line, an e-mail's subject, an
error message, or a page of anyone else, through the whole loop from capture to the analysis."""

import logging

import pytest
from django.test import override_settings
from django.utils import timezone
from django_scopes import scope

from notifications.services import organisation_sweep
from themes.models import Theme
from themes.services import analysis_send, grouping_request, theme_agree

from ..mailbox import delivered
from ..urls import programme_url
from .conftest import DRAFT_WORDS, shared

TITLE = "A title only we have read"


@pytest.mark.django_db
@override_settings(DIGEST_LOCAL_HOUR=0)
def test_a_drafts_words_never_leave_the_pair(
    client,
    programme,
    people,
    pair,
    other_pair,
    facilitated,
    caplog,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.DEBUG)
    client.force_login(pair.senior.user)
    client.post(
        programme_url("themes:add", programme),
        {"source": "pair", "title": TITLE, "noticed": DRAFT_WORDS, "system": "culture"},
    )
    theme = Theme.objects.get(title=TITLE)
    theme_agree(theme=theme, by=pair.senior.user, with_names=False)  # the partner is told
    shared(other_pair, "Calibration")
    shared(pair, "Calibration too")
    refused = client.post(
        programme_url("themes:edit", programme, theme.pk),
        {f"t{theme.pk}-title": "x" * 500, f"t{theme.pk}-noticed": DRAFT_WORDS},
    )
    rows = refused.context["rows"]
    errors = [str(error) for row in rows if row.form for error in row.form.errors.values()]
    assert errors and not any(DRAFT_WORDS in e or TITLE in e for e in errors)
    with django_capture_on_commit_callbacks(execute=True):
        grouping_request(programme=programme, by=people["coordinator"])
        analysis_send(session=facilitated, now=timezone.now())
    org = programme.organisation
    with scope(organisation=org):
        organisation_sweep(organisation=org, now=timezone.now())
    mails = delivered()
    assert len(mails) >= 5
    for mail in mails:
        assert DRAFT_WORDS not in mail.subject + mail.body and TITLE not in mail.subject
        partner_only = pair.junior.user.email in mail.to or pair.senior.user.email in mail.to
        assert partner_only or TITLE not in mail.body
    for record in caplog.records:
        line = record.getMessage() + repr(record.args)
        assert DRAFT_WORDS not in line and TITLE not in line
    for who in ("coordinator", "supervisor", "steering", "executive", "org_admin"):
        client.force_login(people[who])
        for name, args in (
            ("themes:cohort", ()),
            ("themes:register", ()),
            ("themes:analysis", (facilitated.pk,)),
            ("supervision:group_session", (facilitated.pk,)),
        ):
            body = client.get(programme_url(name, programme, *args)).content.decode()
            assert DRAFT_WORDS not in body and TITLE not in body, (who, name)

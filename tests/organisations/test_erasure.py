"""Erasure: a person deletes their account, or an organisation admin erases a member. Nothing
of them is left in any table; survey answers still count, linked to nobody; their partner sees
"a former participant"; the audit log says an erasure happened and nothing of what it erased."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from organisations.models import AuditAction, AuditEntry, Membership, User
from organisations.roles import Role, Side
from pairs.models import Profile
from pairs.services import (
    agreement_propose,
    concern_raise,
    diversity_answers_give,
    goal_add,
    selection_note_add,
)
from programmes.services import programme_member_add
from supervision.models import Supervisor
from supervision.services import note_add
from surveys.models import Response
from themes.services import theme_add, theme_agree

from .. import factories
from ..factories import PASSWORD
from ..urls import programme_url

NAME = "Zebedee Quartermaine-Okafor"
EMAIL = "zebedee.qo@example.test"
# Everything they wrote, each in words of its own.
WRITTEN = {
    "one-pager": "I hope to learn how calibration panels decide",
    "meeting notes": "We mapped the promotion timeline together",
    "reflection": "I felt unheard when the director interrupted",
    "pulse": "Hard to speak openly this time",
    "concern": "My partner dismissed my experience of exclusion",
    "goal": "Understand sponsorship in practice",
    "agreement": "Nothing leaves this room without both of us agreeing",
    "referral": "I need support after a difficult conversation",
    "draft theme": "Draft: meetings scheduled over school pick-up",
    "shared theme": "Nobody from my background on the panel",
    "shared theme title": "Panels lack lived experience",
    "survey answer": "The programme made me feel I belong",
    "supervision note": "Discussed strategies for speaking up",
}


def text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


def tables_holding(words: list[str]) -> list[str]:
    """Every model's text fields, in the database, searched for each of `words`."""
    found = []
    for model in apps.get_models():
        for name in text_fields(model):
            for word in words:
                if model._base_manager.filter(**{f"{name}__icontains": word}).exists():
                    found.append(f"{model._meta.label}.{name} holds {word!r}")
    return found


@pytest.fixture
def erased(programme, people):
    """A junior participant who wrote something everywhere they could, paired with `senior`."""
    person = factories.member(programme.organisation, full_name=NAME, email=EMAIL)
    programme_member_add(programme=programme, user=person, role=Role.PARTICIPANT, side=Side.JUNIOR)
    profile = Profile.objects.get(programme=programme, user=person)
    profile.hoped_learning = WRITTEN["one-pager"]
    profile.save()
    diversity_answers_give(profile=profile, answers={"gender": "woman", "ethnicity": "black"})
    selection_note_add(
        profile=profile, author=people["coordinator"], text="Strong one-pager", red_flag=""
    )
    pair = factories.publish_pair(programme, people["senior"], person, people["coordinator"])
    meeting = factories.log_meeting(
        pair, person, notes=WRITTEN["meeting notes"], reflection=WRITTEN["reflection"]
    )
    factories.pulse_answer(meeting, person, 2, comment=WRITTEN["pulse"])
    concern_raise(pair=pair, by=person, text=WRITTEN["concern"])
    goal_add(pair=pair, owner=person, text=WRITTEN["goal"])
    agreement_propose(
        pair=pair,
        by=person,
        values={
            "meeting_frequency": "Monthly",
            "meeting_place": "Online",
            "confidentiality": WRITTEN["agreement"],
            "ground_rules": "Listen first",
        },
    )
    supervisor = Supervisor.objects.get(programme=programme, user=people["supervisor"])
    referral = factories.in_supervision(
        factories.referral(pair, person, text=WRITTEN["referral"], about=person),
        coordinator=people["coordinator"],
        supervisor=supervisor,
    )
    note_add(referral=referral, author=people["supervisor"], text=WRITTEN["supervision note"])
    values = {"system": "promotion", "quick_win": False}
    theme_add(
        pair=pair, by=person, values={**values, "title": "x", "noticed": WRITTEN["draft theme"]}
    )
    shared = theme_add(
        pair=pair,
        by=person,
        values={
            **values,
            "title": WRITTEN["shared theme title"],
            "noticed": WRITTEN["shared theme"],
        },
    )
    for who in (person, people["senior"]):
        theme_agree(theme=shared, by=who, with_names=True)
    survey = factories.open_survey(programme)
    factories.answer(survey, person, value=5, text=WRITTEN["survey answer"])
    factories.answer(survey, people["senior"], value=3, text="")
    return person


def assert_nothing_of_them_is_left(erased_id: int) -> None:
    assert not User.objects.filter(pk=erased_id).exists()
    assert tables_holding([NAME, EMAIL, *WRITTEN.values()]) == []


@pytest.mark.django_db
def test_the_walk_finds_what_they_wrote_before_the_erasure(erased):
    """The check below can fail: before erasure, every word is somewhere."""
    found = "\n".join(tables_holding([NAME, EMAIL, *WRITTEN.values()]))
    for word in (NAME, EMAIL, *WRITTEN.values()):
        assert repr(word) in found


@pytest.mark.django_db
def test_a_person_deletes_their_account_and_nothing_of_them_is_left(
    client, programme, people, erased
):
    surveys_before = list(Response.objects.order_by("pk").values_list("pk", "side"))
    client.force_login(erased)
    assert client.get(reverse("account_delete")).status_code == 200
    refused = client.post(reverse("account_delete"), {"password": "not it"})
    assert refused.status_code == 400
    assert "That is not your password." in refused.content.decode()
    assert User.objects.filter(pk=erased.pk).exists()

    response = client.post(reverse("account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert_nothing_of_them_is_left(erased.pk)
    # Every response still counts, linked to nobody.
    assert list(Response.objects.order_by("pk").values_list("pk", "side")) == surveys_before
    assert Response.objects.filter(respondent__isnull=True).count() == 1
    [entry] = AuditEntry.objects.filter(action=AuditAction.ERASURE)
    assert (entry.actor, entry.person, entry.subject) == (None, None, "personal_data:by_themselves")
    assert entry.count > 10


@pytest.mark.django_db
def test_the_partner_sees_a_former_participant(client, programme, people, erased):
    client.force_login(erased)
    client.post(reverse("account_delete"), {"password": PASSWORD})
    client.force_login(people["senior"])
    html = client.get(programme_url("pairs:my_pair", programme)).content.decode()
    assert "A former participant" in html
    assert NAME not in html


@pytest.mark.django_db
def test_an_admin_erases_a_member_after_confirming_their_address(client, programme, people, erased):
    url = reverse("member_erase", args=[programme.organisation.slug, erased.memberships.get().pk])
    client.force_login(people["coordinator"])
    assert client.get(url).status_code == 403
    client.force_login(people["org_admin"])
    refused = client.post(url, {"confirm_email": "someone@else.test"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "That is not this member&#x27;s e-mail address." in html
    assert 'value="someone@else.test"' in html

    assert client.post(url, {"confirm_email": EMAIL.upper()}).status_code == 302

    assert_nothing_of_them_is_left(erased.pk)
    [entry] = AuditEntry.objects.filter(action=AuditAction.ERASURE)
    assert (entry.actor, entry.subject) == (people["org_admin"], "personal_data:by_admin")


@pytest.mark.django_db
def test_a_member_of_another_organisation_keeps_their_account_there(
    client, programme, people, erased, other_org
):
    Membership.objects.create(user=erased, organisation=other_org)
    url = reverse(
        "member_erase",
        args=[
            programme.organisation.slug,
            erased.memberships.get(organisation=programme.organisation).pk,
        ],
    )
    client.force_login(people["org_admin"])
    client.post(url, {"confirm_email": EMAIL})
    erased.refresh_from_db()
    assert list(erased.memberships.values_list("organisation", flat=True)) == [other_org.pk]
    assert tables_holding(list(WRITTEN.values())) == []
    assert not Profile.objects.filter(user=erased).exists()


@pytest.mark.django_db
def test_an_admin_cannot_erase_themselves_or_a_member_of_another_organisation(
    client, programme, people, other_org
):
    admin = people["org_admin"]
    own = admin.memberships.get()
    elsewhere = Membership.objects.get(user=people["outsider"])
    client.force_login(admin)
    slug = programme.organisation.slug
    assert client.get(reverse("member_erase", args=[slug, own.pk])).status_code == 404
    assert client.get(reverse("member_erase", args=[slug, elsewhere.pk])).status_code == 404

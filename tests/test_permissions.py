"""Every role against every URL, GET and POST, for the status the role table implies; and every
page and export each role can read, for the confidential text it may see.

The expectations are derived, not listed: the URL resolver gives every tenant URL, each view
declares what a GET and what a POST need, and the role table (programmes.permissions) says who
holds what. So a new URL, or a view that checks something of its own in its body, cannot slip
through. The world holds one real object of every kind, so a permitted request reaches its view,
and each confidential text in it names the roles that may read it (the architecture guide's table).
"""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership
from organisations.permissions import org_permissions
from organisations.personal_exports import personal_export_request
from organisations.roles import Role, Side
from organisations.sign_in import single_sign_on_save
from pairs.models import Pair
from pairs.services import (
    agreement_propose,
    application_link_set,
    concern_raise,
    decision_record,
    goal_add,
    matching_publish,
    matching_run,
    meeting_log,
    pair_steward_set,
    participant_add,
)
from programmes.models import GroupSession, ProgrammeMember, Stage, StageTask
from programmes.permissions import Perm, programme_permissions
from programmes.services import (
    ethics_acknowledge,
    ethics_statement_set,
    programme_invitation_create,
    resource_add,
    steering_member_update,
)
from reports.services import report_request
from supervision.models import Consent, Supervisor
from supervision.services import (
    group_facilitation_set,
    note_add,
    referral_route,
)
from surveys.models import Survey
from surveys.services import hard_measure_save
from themes.services import (
    action_add,
    agenda_item_add,
    issue_open,
    recurring_create,
    theme_add,
    theme_agree,
)

from . import factories
from .factories import ALL_ROLES
from .urls import tenant_patterns

# Statuses that say the view itself ran: anything but a refusal, a wrong method or a crash.
REFUSED, WRONG_METHOD = 403, 405


# Confidential text in the world, and who may read it anywhere: a page, an export, a feed.
CONCERN = "Confidential concern the junior partner raised"
REFERRAL = "Referral text the junior partner raised"
STEERING_REFERRAL = "Referral text the steering member raised"
SUPERVISION_NOTE = "Supervision note only its author reads"
DRAFT_THEME = "A draft theme only its pair reads"
SHARED_THEME = "A shared theme the coordinator and the facilitator read"
# The client secret of the organisation's identity provider: stored, never shown to anyone.
SSO_SECRET = "client-secret-never-shown"
# The address of someone invited to the steering group: for whoever manages people only.
INVITEE_ADDRESS = "invitee-address@world.test"
MAY_READ = {
    SSO_SECRET: set(),
    INVITEE_ADDRESS: {"coordinator", "org_admin"},
    DRAFT_THEME: {"senior", "junior"},
    SHARED_THEME: {"coordinator", "senior", "junior", "supervisor"},  # the supervisor facilitates
    CONCERN: {"coordinator", "junior"},
    REFERRAL: {"coordinator", "junior", "supervisor"},  # triages it, raised it, supervises it
    STEERING_REFERRAL: {"coordinator", "steering"},  # the partners are only asked to agree
    SUPERVISION_NOTE: {"supervisor"},
}
# Who reads it on a page the world's ids lead to (the coordinator reads a referral on its own
# page, and the world's referral page is the other one's; a partner's page lists the concerns
# they raised by date, not by their words).
DOES_READ = {**MAY_READ, CONCERN: {"coordinator"}, STEERING_REFERRAL: {"steering"}}


@dataclass
class World:
    programme: object
    people: dict
    ids: dict[str, int]
    token: str


def build_world(programme, people) -> World:
    ethics_statement_set(programme=programme, text="We keep each other's confidences.")
    for side in ("senior", "junior"):
        ethics_acknowledge(programme=programme, user=people[side])
    steering = ProgrammeMember.objects.get(programme=programme, user=people["steering"])
    steering_member_update(member=steering, stakeholder_group="HR", is_chair=False)
    pair = _pair(programme, people)
    meeting = meeting_log(
        pair=pair,
        by=people["senior"],
        values={"date": date(2026, 10, 1), "duration_minutes": 60, "mode": "virtual"},
    )
    goal = goal_add(pair=pair, owner=people["senior"], text="Understand promotion panels")
    agreement = agreement_propose(
        pair=pair,
        by=people["senior"],
        values={
            "meeting_frequency": "Monthly",
            "meeting_place": "Online",
            "confidentiality": "All of it",
            "ground_rules": "Listen first",
        },
    )
    concern = concern_raise(pair=pair, by=people["junior"], text=CONCERN)
    training = factories.training_session(programme)
    resource = resource_add(
        programme=programme,
        title="Guide",
        description="",
        audience="everyone",
        url="https://example.org/guide",
        added_by=people["coordinator"],
    )
    report = report_request(programme=programme, requested_by=people["coordinator"])
    link = application_link_set(programme=programme, is_open=True)
    survey = Survey.objects.filter(programme=programme).first()
    referral, consent, supervisor = _supervision(programme, people, pair)
    themes = _themes(programme, people, pair)
    measure = hard_measure_save(
        programme=programme,
        values={
            "name": "Retention of participants",
            "before_value": 80,
            "before_on": date(2026, 1, 1),
            "source": "HR system",
        },
    )
    organisation = programme.organisation
    # A junior partner's copy of their own data (still being prepared: no worker runs here).
    export = personal_export_request(
        organisation=organisation, person=people["junior"], requested_by=people["junior"]
    )
    single_sign_on_save(
        organisation=programme.organisation,
        by=people["org_admin"],
        protocol="openid_connect",
        domains=["world.test"],
        allow_join=False,
        app_settings={"server_url": "https://login.world.test"},
        client_id="world-client",
        secret=SSO_SECRET,
    )
    invitation = programme_invitation_create(
        programme=programme,
        email=INVITEE_ADDRESS,
        full_name="Ivy Invitee",
        invited_by=people["coordinator"],
        role=Role.STEERING,
        stakeholder_group="Disability network",
    )
    ids = {
        "programme_id": programme.pk,
        "invitation_id": invitation.pk,
        "stage_id": Stage.objects.filter(programme=programme).first().pk,
        "task_id": StageTask.objects.filter(programme=programme).first().pk,
        "group_session_id": GroupSession.objects.filter(programme=programme).first().pk,
        "session_id": training.pk,
        "member_id": steering.pk,
        "resource_id": resource.pk,
        "report_id": report.pk,
        "pair_id": pair.pk,
        "profile_id": pair.senior_id,
        "survey_id": survey.pk,
        "question_id": survey.questions.first().pk,
        "meeting_id": meeting.pk,
        "goal_id": goal.pk,
        "concern_id": concern.pk,
        "version": agreement.version,
        "referral_id": referral.pk,
        "consent_id": consent.pk,
        "supervisor_id": supervisor.pk,
        "measure_id": measure.pk,
        # A member the admin may erase (a bare POST is refused for want of confirmation).
        "membership_id": Membership.objects.get(
            user=people["no_role"], organisation=organisation
        ).pk,
        "export_id": export.pk,
        **themes,
    }
    return World(programme, people, ids, link.token)


def _pair(programme, people) -> Pair:
    for who, side, grade in (("senior", Side.SENIOR, 9), ("junior", Side.JUNIOR, 3)):
        profile = participant_add(programme=programme, user=people[who], side=side)
        profile.grade = grade
        profile.save()
        decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
    matching_run(programme=programme)
    matching_publish(programme=programme, by=people["coordinator"])
    pair = Pair.objects.select_related("senior", "junior").get(programme=programme)
    return pair_steward_set(pair=pair, steering_member=people["steering"])


def _supervision(programme, people, pair) -> tuple:
    """A case in supervision with its supervisor's note; a steering member's referral waiting
    for the partners' agreement; the first group session facilitated."""
    supervisor = Supervisor.objects.get(programme=programme, user=people["supervisor"])
    referral = factories.in_supervision(
        factories.referral(pair, people["junior"], text=REFERRAL, about=people["junior"]),
        coordinator=people["coordinator"],
        supervisor=supervisor,
    )
    note_add(referral=referral, author=people["supervisor"], text=SUPERVISION_NOTE)
    waiting = factories.referral(
        pair, people["steering"], text=STEERING_REFERRAL, raised_as=Role.STEERING
    )
    referral_route(referral=waiting, by=people["coordinator"], route="pair")
    group_facilitation_set(
        session=GroupSession.objects.filter(programme=programme).first(),
        facilitator=supervisor,
        external_facilitator="",
    )
    return referral, Consent.objects.get(referral=waiting, user=people["senior"]), supervisor


def _themes(programme, people, pair) -> dict[str, int]:
    """A draft theme and a shared one, grouped into a recurring theme on the first session's
    agenda, and a systemic issue opened from it with one action."""
    values = {"system": "promotion", "quick_win": False}
    draft = theme_add(
        pair=pair, by=people["junior"], values={**values, "title": "Draft", "noticed": DRAFT_THEME}
    )
    shared = theme_add(
        pair=pair,
        by=people["senior"],
        values={**values, "title": "Panels", "noticed": SHARED_THEME},
    )
    for who in ("senior", "junior"):
        theme_agree(theme=shared, by=people[who], with_names=False)
    recurring = recurring_create(
        programme=programme, title="Promotion panels", system="promotion", themes=[shared]
    )
    item = agenda_item_add(
        session=GroupSession.objects.filter(programme=programme).first(), recurring=recurring
    )
    issue = issue_open(
        programme=programme,
        by=people["coordinator"],
        values={
            "title": "Unrecorded calibration",
            "description": "",
            "system": "promotion",
            "data_gaps": "",
            "owner": people["senior"],
        },
        recurring=[recurring],
    )
    action = action_add(
        issue=issue,
        values={
            "text": "Record calibration",
            "owner": people["senior"],
            "due": timezone.localdate(),
            "quick_win": True,
        },
    )
    return {
        "theme_id": draft.pk,
        "recurring_id": recurring.pk,
        "item_id": item.pk,
        "issue_id": issue.pk,
        "action_id": action.pk,
    }


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def url_of(world: World, route: str, name: str) -> str:
    kwargs: dict[str, object] = {"org_slug": world.programme.organisation.slug}
    for _, key in re.findall(r"<(\w+):(\w+)>", route):
        if key == "session_id" and "group-sessions" in route:
            kwargs[key] = world.ids["group_session_id"]
        elif key == "token":
            kwargs[key] = world.token
        elif key != "org_slug":
            kwargs[key] = world.ids[key]
    return reverse(name, kwargs=kwargs)


def granted(world: World, who: str) -> set:
    """What the role table gives this person: in the organisation and in the programme."""
    user = world.people[who]
    membership = Membership.objects.get(user=user, organisation=world.programme.organisation)
    rows = ProgrammeMember.objects.filter(programme=world.programme, user=user)
    roles = {row.role for row in rows}
    reviewer = any(row.reviews_candidates for row in rows if row.role == Role.STEERING)
    return set(org_permissions(membership)) | set(
        programme_permissions(membership, roles, reviews_candidates=reviewer)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ALL_ROLES)
def test_every_role_gets_what_the_role_table_says_from_every_url(programme, people, who):
    """Every GET first, reading what each page or export shows; then every POST (a bare POST
    may change the world, e.g. refuse an offer of supervision)."""
    world = build_world(programme, people)
    mine = granted(world, who)
    client = Client(raise_request_exception=False)
    client.force_login(people[who])
    wrong: list[str] = []
    read: dict[str, list[str]] = {secret: [] for secret in MAY_READ}
    urls = [
        (name, url_of(world, route, name), pattern) for route, name, pattern in tenant_patterns()
    ]
    for method in ("GET", "POST"):
        for name, url, pattern in urls:
            perm = pattern.callback.required_permissions[method]
            response = client.get(url) if method == "GET" else client.post(url)
            if not _as_the_table_says(response.status_code, perm, mine):
                wrong.append(f"{method} {name} needs {perm} -> {response.status_code}")
            if method == "GET" and response.status_code == 200:
                body = body_of(response)
                for secret, names in read.items():
                    if secret in body:
                        names.append(name)
    assert not wrong, f"{who}:\n" + "\n".join(wrong)
    for secret, names in read.items():
        assert who in MAY_READ[secret] or not names, f"{who} reads {secret!r} on {names}"
        assert who not in DOES_READ[secret] or names, f"{who} should read {secret!r}"


def _as_the_table_says(status: int, perm: object, mine: set) -> bool:
    if perm is None:
        return status == WRONG_METHOD
    if perm in mine:
        return status not in (REFUSED, WRONG_METHOD) and status < 500
    return status == REFUSED


def test_the_role_table_keeps_confidential_work_to_the_coordinator():
    """The architecture guide's table, as the permissions encode it."""
    from programmes.permissions import ORG_ADMIN_PROGRAMME_PERMISSIONS, ROLE_PERMISSIONS

    assert Perm.SELECT not in ORG_ADMIN_PROGRAMME_PERMISSIONS  # red flags, selection notes
    assert Perm.SURVEY_RESULTS not in ORG_ADMIN_PROGRAMME_PERMISSIONS
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if Perm.SELECT in perms}
    assert holders == {Role.COORDINATOR}
    assert {r for r, p in ROLE_PERMISSIONS.items() if Perm.SIGN_OFF in p} == {Role.EXECUTIVE}
    assert {r for r, p in ROLE_PERMISSIONS.items() if Perm.TAKE_PART in p} == {Role.PARTICIPANT}
    assert {r for r, p in ROLE_PERMISSIONS.items() if Perm.SURVEY_RESULTS in p} == {
        Role.COORDINATOR,
        Role.EXECUTIVE,
    }

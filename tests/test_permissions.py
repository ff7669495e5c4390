"""Every role against every URL, GET and POST, for the status the role table implies.

The expectations are derived, not listed: the URL resolver gives every tenant URL, each view
declares what a GET and what a POST need, and the role table (programmes.permissions) says who
holds what. So a new URL, or a view that checks something of its own in its body, cannot slip
through. The world holds one real object of every kind, so a permitted request reaches its view.
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
from organisations.roles import Role, Side
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
    resource_add,
    steering_member_update,
    training_session_save,
)
from reports.services import report_request
from surveys.models import Survey

from .factories import ALL_ROLES
from .urls import tenant_patterns

# Statuses that say the view itself ran: anything but a refusal, a wrong method or a crash.
REFUSED, WRONG_METHOD = 403, 405


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
    concern = concern_raise(pair=pair, by=people["junior"], text="A worry")
    training = training_session_save(
        programme=programme,
        values={
            "title": "Initial training",
            "kind": "initial",
            "format": "in_person",
            "audience": "everyone",
            "starts_at": timezone.now(),
            "duration_minutes": 120,
        },
    )
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
    ids = {
        "programme_id": programme.pk,
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
    world = build_world(programme, people)
    mine = granted(world, who)
    client = Client(raise_request_exception=False)
    client.force_login(people[who])
    wrong: list[str] = []
    for route, name, pattern in tenant_patterns():
        declared = pattern.callback.required_permissions
        url = url_of(world, route, name)
        for method in ("GET", "POST"):
            perm = declared[method]
            response = client.get(url) if method == "GET" else client.post(url)
            status = response.status_code
            if perm is None:
                expected_ok = status == WRONG_METHOD
            elif perm in mine:
                expected_ok = status not in (REFUSED, WRONG_METHOD) and status < 500
            else:
                expected_ok = status == REFUSED
            if not expected_ok:
                wrong.append(f"{method} {name} needs {perm} -> {status}")
    assert not wrong, f"{who}:\n" + "\n".join(wrong)


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

import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from organisations.roles import Role
from pairs.models import Profile
from programmes.models import Programme, ProgrammeMember, Stage, StageStatus
from programmes.timeline import (
    ANCHORS_OUT_OF_ORDER,
    STAGES,
    plan_stage_dates,
    relationships_start_for,
)

from . import factories
from .factories import ALL_ROLES
from .mailbox import delivered


def url(name: str, programme: Programme, *args: object) -> str:
    return reverse(f"programmes:{name}", args=[programme.organisation.slug, programme.pk, *args])


def test_the_ten_stages_follow_the_domain_guide():
    assert [s.name for s in STAGES] == [
        "Commissioning",
        "Set-up and planning",
        "Selection and matching",
        "Initial training",
        "Start of relationships",
        "Ongoing support and trouble-shooting",
        "Initial survey",
        "First combined group supervision",
        "Subsequent combined group supervision",
        "Programme evaluation",
    ]


def test_default_timing_from_a_start_date():
    planned = {p.number: p for p in plan_stage_dates(date(2026, 1, 5))}
    assert planned[1].end == date(2026, 3, 5)  # two months of commissioning
    assert (planned[2].end - planned[2].start).days == 21
    relationships = planned[5].start
    assert relationships == relationships_start_for(date(2026, 1, 5))
    assert planned[7].start == relationships + relativedelta(weeks=8)
    assert planned[7].end == relationships + relativedelta(weeks=12)
    assert planned[10].start == relationships + relativedelta(months=6)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_no_stage_ends_before_it_starts(start):
    for planned in plan_stage_dates(start):
        assert planned.end >= planned.start


@pytest.mark.django_db
def test_coordinator_creates_a_programme_with_ten_dated_stages(client, org, coordinator):
    factories.programme(factories.OrganisationFactory(), coordinator=factories.UserFactory())
    client.force_login(coordinator)
    # Coordinating a programme lets them create another one.
    factories.programme(org, coordinator=coordinator)
    response = client.post(
        reverse("programmes:new", args=[org.slug]),
        {"name": "Spring cohort", "start_date": "2027-01-11", "reminder_lead_days": "10"},
    )
    programme = Programme.objects.get(name="Spring cohort")
    assert response["Location"] == url("setup", programme)
    stages = list(Stage.objects.filter(programme=programme).order_by("number"))
    assert [s.number for s in stages] == list(range(1, 11))
    assert stages[0].planned_start == date(2027, 1, 11)
    assert all(s.status == StageStatus.NOT_STARTED for s in stages)
    assert ProgrammeMember.objects.filter(
        programme=programme, user=coordinator, role=Role.COORDINATOR
    ).exists()


@pytest.mark.django_db
def test_programme_form_explains_bad_input_and_keeps_it(client, org, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("programmes:new", args=[org.slug]),
        {"name": "Kept", "start_date": "not a date", "reminder_lead_days": "400"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kept"' in html
    assert "Enter a valid date." in html
    assert "at most 60 days" in html


@pytest.mark.django_db
def test_a_member_without_a_coordinator_role_cannot_create_programmes(client, org):
    client.force_login(factories.member(org))
    assert client.get(reverse("programmes:new", args=[org.slug])).status_code == 403


@pytest.mark.django_db
def test_timeline_shows_every_stage_with_its_status(client, programme, people):
    Stage.objects.filter(programme=programme, number=1).update(status=StageStatus.DONE)
    client.force_login(people["junior"])
    html = client.get(url("timeline", programme)).content.decode()
    for stage in STAGES:
        assert stage.name in html
    assert "Done" in html
    assert "Now at stage 2" in html
    assert "Save" not in html  # a participant reads the timeline but cannot change it


@pytest.mark.parametrize(
    ("view", "allowed"),
    [
        (
            "timeline",
            {"coordinator", "steering", "senior", "junior", "supervisor", "executive", "org_admin"},
        ),
        ("people", {"coordinator", "org_admin"}),
    ],
)
@pytest.mark.django_db
def test_role_matrix_for_programme_pages(client, programme, people, view, allowed):
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        assert client.get(url(view, programme)).status_code == expected, who


@pytest.mark.django_db
def test_coordinator_sets_a_stage_status_and_others_cannot(client, programme, people):
    stage = Stage.objects.get(programme=programme, number=3)
    client.force_login(people["executive"])
    assert (
        client.post(url("stage_status", programme, stage.pk), {"status": "done"}).status_code == 403
    )
    client.force_login(people["coordinator"])
    client.post(url("stage_status", programme, stage.pk), {"status": "in_progress"})
    stage.refresh_from_db()
    assert stage.status == StageStatus.IN_PROGRESS
    client.post(url("stage_status", programme, stage.pk), {"status": "nonsense"})
    stage.refresh_from_db()
    assert stage.status == StageStatus.IN_PROGRESS


@pytest.mark.django_db
def test_a_stage_of_another_programme_is_not_found(client, org, programme, coordinator):
    other = factories.programme(org)
    foreign_stage = Stage.objects.filter(programme=other).first()
    client.force_login(coordinator)
    assert (
        client.post(
            url("stage_status", programme, foreign_stage.pk), {"status": "done"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_people_page_adds_an_organisation_member_and_validates_sides(
    client, org, programme, coordinator
):
    colleague = factories.member(org, email="colleague@example.test")
    client.force_login(coordinator)
    missing_side = client.post(
        url("people", programme), {"email": colleague.email, "role": Role.PARTICIPANT}
    )
    assert "Choose the participant" in missing_side.content.decode()
    client.post(
        url("people", programme),
        {"email": colleague.email, "role": Role.PARTICIPANT, "side": "senior"},
    )
    assert ProgrammeMember.objects.filter(
        programme=programme, user=colleague, side="senior"
    ).exists()
    filtered = client.get(url("people", programme), {"role": Role.PARTICIPANT}).content.decode()
    assert colleague.email in filtered and coordinator.email not in filtered


@pytest.mark.django_db
def test_a_participant_invited_by_name_is_listed_by_that_name(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programmes:people", args=[programme.organisation.slug, programme.pk]),
            {
                "email": "nia.brown@example.test",
                "full_name": "Nia Brown",
                "role": "participant",
                "side": "junior",
            },
        )
    assert Profile.objects.get(email="nia.brown@example.test").full_name == "Nia Brown"
    assert delivered()[0].body.startswith("Hello Nia Brown,")


@pytest.mark.django_db
def test_the_programmes_own_rule_on_its_dates_is_said_next_to_the_field(client, org, admin_user):
    """The model's validation runs in the form: relationships start after commissioning, a
    rule of the model (and of the database), refused beside the date, never a server error."""
    backwards = Programme(
        organisation=org,
        name="Backwards",
        start_date=date(2027, 3, 1),
        relationships_start=date(2027, 2, 1),
    )
    with pytest.raises(ValidationError) as refused:
        backwards.full_clean()
    assert refused.value.message_dict["relationships_start"] == [ANCHORS_OUT_OF_ORDER]
    assert NON_FIELD_ERRORS not in refused.value.message_dict  # said once, beside the field

    client.force_login(admin_user)
    response = client.post(
        reverse("programmes:new", args=[org.slug]),
        {
            "name": "Backwards",
            "start_date": "2027-03-01",
            "relationships_start": "2027-02-01",
            "reminder_lead_days": "7",
        },
    )
    html = response.content.decode()
    assert re.search(
        rf'id="error_1_id_relationships_start"[^>]*><strong>{ANCHORS_OUT_OF_ORDER}', html
    )
    assert 'value="2027-02-01"' in html
    assert not Programme.objects.filter(name="Backwards").exists()

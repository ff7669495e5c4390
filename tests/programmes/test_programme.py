"""Creating a programme (what it starts with, the model's own rules) and choosing its
people."""

import re
from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from organisations.roles import Role
from pairs.models import Profile
from programmes.models import (
    GroupSession,
    Programme,
    ProgrammeMember,
    Stage,
    StageStatus,
    StageTask,
    SuccessMeasure,
)
from programmes.timeline import ANCHORS_OUT_OF_ORDER, STAGE_TASKS

from .. import factories
from ..mailbox import delivered
from ..urls import programme_url


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
    assert response["Location"] == programme_url("programmes:setup", programme)
    stages = list(Stage.objects.filter(programme=programme).order_by("number"))
    assert [s.number for s in stages] == list(range(1, 11))
    assert stages[0].planned_start == date(2027, 1, 11)
    assert all(s.status == StageStatus.NOT_STARTED for s in stages)
    assert ProgrammeMember.objects.filter(
        programme=programme, user=coordinator, role=Role.COORDINATOR
    ).exists()


@pytest.mark.django_db
def test_a_new_programme_has_checklists_measures_and_a_group_session_series(programme):
    tasks = StageTask.objects.filter(programme=programme)
    assert tasks.count() == sum(len(t) for t in STAGE_TASKS.values())
    stage1 = Stage.objects.get(programme=programme, number=1)
    assert all(t.due_date == stage1.planned_end for t in tasks.filter(stage=stage1))
    assert SuccessMeasure.objects.filter(programme=programme).count() == 4
    sessions = list(GroupSession.objects.filter(programme=programme))
    assert [s.stage_number for s in sessions].count(8) == 1
    assert [s.stage_number for s in sessions].count(9) >= 2


@pytest.mark.django_db
def test_programme_form_explains_bad_input_and_keeps_it(client, org, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("programmes:new", args=[org.slug]),
        {"name": "Kept", "start_date": "not a date", "reminder_lead_days": "400"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Kept"' in html
    assert "Enter a valid date." in html
    assert "at most 60 days" in html


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
        rf'id="error_1_id_\w*_relationships_start"[^>]*><strong>{ANCHORS_OUT_OF_ORDER}', html
    )
    assert 'value="2027-02-01"' in html
    assert not Programme.objects.filter(name="Backwards").exists()


@pytest.mark.django_db
def test_people_page_adds_an_organisation_member_and_validates_sides(
    client, org, programme, coordinator
):
    colleague = factories.member(org, email="colleague@example.test")
    client.force_login(coordinator)
    missing_side = client.post(
        programme_url("programmes:people", programme),
        {"email": colleague.email, "role": Role.PARTICIPANT},
    )
    assert "Choose the participant" in missing_side.content.decode()
    client.post(
        programme_url("programmes:people", programme),
        {"email": colleague.email, "role": Role.PARTICIPANT, "side": "senior"},
    )
    assert ProgrammeMember.objects.filter(
        programme=programme, user=colleague, side="senior"
    ).exists()
    filtered = client.get(
        programme_url("programmes:people", programme), {"role": Role.PARTICIPANT}
    ).content.decode()
    assert colleague.email in filtered and coordinator.email not in filtered


@pytest.mark.django_db
def test_a_participant_invited_by_name_is_listed_by_that_name(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            programme_url("programmes:people", programme),
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
def test_a_coordinator_cannot_appoint_the_executive_sponsor_or_give_themselves_a_role(
    client, programme, people
):
    client.force_login(people["coordinator"])
    colleague = factories.member(programme.organisation)
    response = client.post(
        programme_url("programmes:people", programme),
        {"email": colleague.email, "role": Role.EXECUTIVE},
    )
    assert "Only an organisation admin can name the executive sponsor." in response.content.decode()
    response = client.post(
        programme_url("programmes:people", programme),
        {"email": people["coordinator"].email, "role": Role.SUPERVISOR},
    )
    assert "You cannot give yourself a role" in response.content.decode()
    assert not ProgrammeMember.objects.filter(user=colleague).exists()

    client.force_login(people["org_admin"])
    client.post(
        programme_url("programmes:people", programme),
        {"email": colleague.email, "role": Role.EXECUTIVE},
    )
    assert ProgrammeMember.objects.filter(user=colleague, role=Role.EXECUTIVE).exists()

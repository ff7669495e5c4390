"""Setting the programme up: purpose and success measures, the top team's sign-off, the
steering group and who of it reviews candidates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from organisations.models import Invitation
from organisations.roles import Role
from programmes.models import ProgrammeMember, SuccessMeasure

from .. import factories
from ..urls import programme_url


@pytest.mark.django_db
def test_purpose_form_keeps_input_and_warns_outside_a_pilots_size(client, programme, coordinator):
    client.force_login(coordinator)
    data = {
        "name": programme.name,
        "purpose": "Change how we promote",
        "scope": "",
        "initiative_links": "",
        "selection_criteria": "",
        "planned_pairs": "45",
        "duration_months": "0",
        "steering_min_size": "4",
        "steering_max_size": "3",
        "reminder_lead_days": "7",
        "anonymity_threshold": "5",
        "measures-TOTAL_FORMS": "2",
        "measures-INITIAL_FORMS": "0",
        "measures-0-text": "Retention of diverse talent",
        "measures-1-text": "",
    }
    bad = client.post(programme_url("programmes:setup", programme), data)
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Choose a duration between 1 and 36 months." in html
    assert "The largest size must be at least the smallest." in html
    assert "Change how we promote" in html
    data.update(duration_months="6", steering_max_size="10")
    ok = client.post(programme_url("programmes:setup", programme), data, follow=True)
    assert "45 pairs is outside the 12-30 usual for a pilot" in ok.content.decode()
    programme.refresh_from_db()
    assert (programme.purpose, programme.planned_pairs) == ("Change how we promote", 45)
    assert list(
        SuccessMeasure.objects.filter(programme=programme).values_list("text", flat=True)
    ) == ["Retention of diverse talent"]


@pytest.mark.django_db
def test_the_executive_records_the_sign_off_and_the_coordinator_cannot(client, programme, people):
    client.force_login(people["coordinator"])
    assert client.get(programme_url("programmes:sign_off", programme)).status_code == 403
    client.force_login(people["executive"])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.post(
        programme_url("programmes:sign_off", programme),
        {"signed_off_by": "Board", "signed_off_on": future},
    )
    assert "cannot be dated in the future" in bad.content.decode()
    response = client.post(
        programme_url("programmes:sign_off", programme),
        {"signed_off_by": "Executive board", "signed_off_on": "2026-10-01", "note": "Unanimous"},
    )
    assert response.status_code == 302
    page = client.get(programme_url("programmes:setup", programme)).content.decode()
    assert "Signed off by <strong>Executive board</strong> on 1 October 2026" in page


@pytest.mark.django_db
def test_the_steering_group_records_representation_chair_and_size(client, programme, people):
    programme.steering_min_size = 2
    programme.save()
    client.force_login(people["coordinator"])
    page = client.get(programme_url("programmes:steering", programme)).content.decode()
    assert "at least 2 are needed" in page

    colleague = factories.member(programme.organisation)
    client.post(
        programme_url("programmes:steering", programme),
        {"email": colleague.email, "stakeholder_group": "Race equality network", "is_chair": "on"},
    )
    member = ProgrammeMember.objects.get(user=colleague, role=Role.STEERING)
    assert (member.stakeholder_group, member.is_chair) == ("Race equality network", True)

    client.post(
        programme_url("programmes:steering", programme),
        {"email": "new.person@example.test", "stakeholder_group": "HR"},
    )
    invitation = Invitation.objects.get(email="new.person@example.test")
    promise = invitation.programme_invitation
    assert (promise.role, promise.stakeholder_group) == (Role.STEERING, "HR")

    existing = ProgrammeMember.objects.get(user=people["steering"], role=Role.STEERING)
    client.post(
        programme_url("programmes:steering_member", programme, existing.pk),
        {f"m{existing.pk}-stakeholder_group": "Operations", f"m{existing.pk}-is_chair": "on"},
    )
    member.refresh_from_db()
    existing.refresh_from_db()
    assert existing.is_chair and not member.is_chair  # one chair at a time
    page = client.get(programme_url("programmes:steering", programme)).content.decode()
    assert "at least 2 are needed" not in page


@pytest.mark.django_db
def test_a_steering_member_edit_without_a_stakeholder_group_keeps_the_page(
    client, programme, people
):
    member = ProgrammeMember.objects.get(user=people["steering"], role=Role.STEERING)
    client.force_login(people["coordinator"])
    response = client.post(
        programme_url("programmes:steering_member", programme, member.pk),
        {f"m{member.pk}-stakeholder_group": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_only_the_coordinator_chooses_who_reviews_candidates(client, programme, people):
    member = ProgrammeMember.objects.get(user=people["steering"], role=Role.STEERING)
    target = programme_url("programmes:steering_member", programme, member.pk)
    data = {f"m{member.pk}-stakeholder_group": "HR", f"m{member.pk}-reviews_candidates": "on"}
    client.force_login(people["org_admin"])
    client.post(target, data)
    member.refresh_from_db()
    assert (member.stakeholder_group, member.reviews_candidates) == ("HR", False)
    client.force_login(people["coordinator"])
    client.post(target, data)
    member.refresh_from_db()
    assert member.reviews_candidates

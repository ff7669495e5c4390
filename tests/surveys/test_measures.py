"""The organisation's hard measures: recorded by the coordinator, read by those who read the
evaluation report, beside the survey outcomes."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from programmes.models import SuccessMeasure
from programmes.permissions import ORG_ADMIN_PROGRAMME_PERMISSIONS, ROLE_PERMISSIONS, Perm
from programmes.services import success_measures_set
from surveys.models import HardMeasure, Survey, SurveyKind
from surveys.services import hard_measure_save
from surveys.views import MEASURES_PAGE_SIZE

from ..factories import ALL_ROLES, close_survey
from ..pages import page_text
from ..urls import programme_url

GOOD = {
    "name": "Retention of participants",
    "group": "participants",
    "unit": "percent",
    "before_value": "82.5",
    "before_on": "2026-01-31",
    "after_value": "91",
    "after_on": "2026-07-31",
    "source": "HR system, headcount report",
}


def measure(programme, **values) -> HardMeasure:
    return hard_measure_save(
        programme=programme,
        values={
            "name": "Promotion rate of ethnic-minority staff at grades 5-7",
            "group": "target",
            "group_detail": "Ethnic-minority staff at grades 5-7",
            "unit": "percent",
            "before_value": 4,
            "before_on": date(2026, 1, 31),
            "source": "HR system, promotions report",
            **values,
        },
    )


@pytest.mark.django_db
def test_the_coordinator_records_a_measure_and_sees_it_before_and_after(client, programme, people):
    link = SuccessMeasure.objects.filter(programme=programme).first()
    client.force_login(people["coordinator"])
    response = client.post(
        programme_url("surveys:measures", programme), {**GOOD, "success_measure": link.pk}
    )
    assert response.status_code == 302
    saved = HardMeasure.objects.get(programme=programme)
    assert (saved.before_value, saved.after_value, saved.success_measure) == (82.5, 91, link)
    page = page_text(client.get(programme_url("surveys:measures", programme)))
    assert "Retention of participants" in page and f"shows “{link.text}”" in page
    assert "82.5% as at 31 Jan 2026" in page and "91% as at 31 Jul 2026" in page
    assert "+8.5 percentage points" in page and "HR system, headcount report" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changed", "field", "message"),
    [
        ({"after_on": "2025-12-31"}, "after_on", "cannot be dated before the baseline figure"),
        ({"before_value": "101"}, "before_value", "A percentage runs from 0 to 100."),
        ({"after_value": "-3"}, "after_value", "A percentage runs from 0 to 100."),
        ({"unit": "count", "before_value": "12.5"}, "before_value", "A count of people is a whole"),
        ({"group": "target"}, "group_detail", "Say which group"),
        ({"unit": "other"}, "unit_label", "Name the unit"),
        ({"after_on": ""}, "after_on", "Give the date of the later figure."),
        ({"after_value": ""}, "after_value", "Give the later figure for this date"),
        ({"before_on": "2099-01-01", "after_on": "2099-02-01"}, "before_on", "in the future"),
        ({"source": ""}, "source", "This field is required."),
    ],
)
def test_a_bad_figure_is_refused_next_to_its_field_and_what_was_typed_is_kept(
    client, programme, people, changed, field, message
):
    client.force_login(people["coordinator"])
    response = client.post(programme_url("surveys:measures", programme), {**GOOD, **changed})
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert 'value="Retention of participants"' in response.content.decode()
    assert not HardMeasure.objects.exists()


@pytest.mark.django_db
def test_the_later_figure_waits_until_it_is_known_and_is_added_by_editing(
    client, programme, people
):
    recorded = measure(programme)
    client.force_login(people["coordinator"])
    page = page_text(client.get(programme_url("surveys:measures", programme)))
    assert "Ethnic-minority staff at grades 5-7" in page and "not known yet" in page
    edit = programme_url("surveys:measure_edit", programme, recorded.pk)
    values = {
        "name": recorded.name,
        "group": "target",
        "group_detail": recorded.group_detail,
        "unit": "percent",
        "before_value": "4",
        "before_on": "2026-01-31",
        "source": recorded.source,
    }
    bad = client.post(edit, {**values, "after_value": "7"})
    assert bad.status_code == 400 and "Give the date of the later figure." in bad.content.decode()
    assert '<h2 class="h4">Promotion rate' in bad.content.decode()  # as saved
    client.post(edit, {**values, "after_value": "7", "after_on": "2026-07-31"})
    recorded.refresh_from_db()
    assert recorded.change_text == "+3 percentage points"
    client.post(programme_url("surveys:measure_delete", programme, recorded.pk))
    assert not HardMeasure.objects.exists()


@pytest.mark.django_db
def test_the_report_readers_read_the_measures_and_only_the_coordinator_records_them(
    client, programme, people
):
    recorded = measure(programme)
    readers = {"coordinator", "executive", "org_admin"}
    for who in ALL_ROLES:
        client.force_login(people[who])
        response = client.get(programme_url("surveys:measures", programme))
        assert response.status_code == (200 if who in readers else 403), who
        edit = client.get(programme_url("surveys:measure_edit", programme, recorded.pk))
        assert edit.status_code == (200 if who == "coordinator" else 403), who
        if who in readers - {"coordinator"}:
            assert "Record a hard measure" not in response.content.decode()
            assert (
                client.post(programme_url("surveys:measures", programme), GOOD).status_code == 403
            )
    client.force_login(people["outsider"])
    assert client.get(programme_url("surveys:measures", programme)).status_code == 404
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if Perm.RECORD_MEASURES in perms}
    assert Perm.RECORD_MEASURES not in ORG_ADMIN_PROGRAMME_PERMISSIONS
    assert holders == {"coordinator"}


@pytest.mark.django_db
def test_the_measures_stand_beside_the_outcomes_on_the_evaluation_results(
    client, programme, people
):
    measure(programme, after_value=6, after_on=date(2026, 7, 31))
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    Survey.objects.filter(pk=evaluation.pk).update(
        opens_on=timezone.localdate() - timedelta(days=9)
    )
    close_survey(evaluation)
    initial = Survey.objects.get(programme=programme, kind=SurveyKind.INITIAL)
    Survey.objects.filter(pk=initial.pk).update(opens_on=timezone.localdate() - timedelta(days=9))
    close_survey(initial)
    client.force_login(people["executive"])
    page = page_text(client.get(programme_url("surveys:results", programme, evaluation.pk)))
    assert "Hard measures" in page and "+2 percentage points" in page
    initial_page = page_text(client.get(programme_url("surveys:results", programme, initial.pk)))
    assert "percentage points" not in initial_page  # not an outcomes survey


@pytest.mark.django_db
def test_the_list_is_filtered_by_group_and_paginated(client, programme, people):
    for n in range(MEASURES_PAGE_SIZE):
        measure(programme, name=f"Target measure {n:02}")
    measure(programme, name="Whole-organisation retention", group="organisation", group_detail="")
    client.force_login(people["coordinator"])
    url = programme_url("surveys:measures", programme)
    first = page_text(client.get(url))
    assert "Page 1 of 2" in first and "Whole-organisation retention" not in first
    whole = page_text(client.get(url, {"group": "organisation"}))
    assert "Whole-organisation retention" in whole and "Target measure" not in whole
    assert client.get(url, {"group": "nonsense", "page": "x"}).status_code == 200


@pytest.mark.django_db
def test_a_hard_measure_stays_linked_when_the_purpose_is_saved_again(programme):
    texts = list(SuccessMeasure.objects.filter(programme=programme).values_list("text", flat=True))
    linked = measure(programme, success_measure=SuccessMeasure.objects.get(text=texts[1]))
    success_measures_set(programme=programme, texts=["A new measure", texts[1], texts[0]])
    linked.refresh_from_db()
    assert linked.success_measure.text == texts[1]
    assert list(
        SuccessMeasure.objects.filter(programme=programme).values_list("text", flat=True)
    ) == ["A new measure", texts[1], texts[0]]
    success_measures_set(programme=programme, texts=["A new measure"])
    linked.refresh_from_db()
    assert linked.success_measure is None and linked.name.startswith("Promotion rate")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "wrong",
    [
        {"before_value": 101},
        {"after_value": 50, "after_on": date(2025, 12, 31)},  # before the baseline figure
        {"after_value": 50},  # a later figure without its date
    ],
)
def test_the_database_refuses_what_the_form_would(programme, wrong):
    values = {
        "name": "Retention",
        "unit": "percent",
        "before_value": 80,
        "before_on": date(2026, 1, 31),
        "source": "HR",
        **wrong,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        HardMeasure.objects.create(programme=programme, **values)

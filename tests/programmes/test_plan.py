"""The project plan: every task of the programme by person, stage and status; the plan and
the timeline cost the same queries for 10 tasks and 300."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisations.roles import Role
from programmes.models import Programme, Stage, StageTask
from programmes.services import task_save

from .. import factories
from ..urls import programme_url


@pytest.mark.django_db
def test_the_project_plan_filters_by_person_stage_and_status_and_marks_overdue(
    client, programme, people
):
    stage = Stage.objects.get(programme=programme, number=4)
    yesterday = timezone.localdate() - timedelta(days=1)
    task_save(
        stage=stage, title="Late thing", due_date=yesterday, responsible_user=people["supervisor"]
    )
    client.force_login(people["coordinator"])
    page = client.get(
        programme_url("programmes:plan", programme), {"person": people["supervisor"].pk}
    )
    html = page.content.decode()
    assert "Late thing" in html and "Overdue" in html
    assert "Facilitate the first combined group session" in html  # supervisors' role tasks
    assert "Make the case to the top team" not in html
    by_stage = client.get(
        programme_url("programmes:plan", programme), {"stage": 1}
    ).content.decode()
    assert "Make the case to the top team" in by_stage and "Late thing" not in by_stage
    overdue = client.get(
        programme_url("programmes:plan", programme), {"overdue": "on"}
    ).content.decode()
    assert "Late thing" in overdue


def make_tasks(programme: Programme, count: int, person) -> None:
    stages = list(Stage.objects.filter(programme=programme))
    StageTask.objects.bulk_create(
        StageTask(
            programme=programme,
            stage=stages[i % 10],
            title=f"Task {i}",
            responsible_user=person if i % 2 else None,
            responsible_role="" if i % 2 else Role.STEERING,
            due_date=stages[i % 10].planned_end,
        )
        for i in range(count)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["timeline", "plan"])
def test_page_query_count_is_the_same_for_10_tasks_and_300(client, org, page):
    counts = []
    for total in (10, 300):
        coordinator = factories.member(org)
        programme = factories.programme(org, coordinator=coordinator)
        StageTask.objects.filter(programme=programme).delete()
        make_tasks(programme, total, coordinator)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(programme_url(f"programmes:{page}", programme)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_plans_person_filter_offers_those_who_run_the_programme_not_the_whole_cohort(
    client, programme, people
):
    stage = programme.stages.get(number=3)
    task_save(
        stage=stage,
        title="Brief the junior cohort",
        due_date=None,
        responsible_user=people["junior"],
    )
    cohort = factories.participants(programme, 3, 3)
    client.force_login(people["coordinator"])
    page = client.get(programme_url("programmes:plan", programme)).content.decode()
    offered = re.findall(
        r'<option value="(\d+)"', page.split('name="person"')[1].split("</select>")[0]
    )
    assert str(people["supervisor"].pk) in offered and str(people["steering"].pk) in offered
    assert str(people["junior"].pk) in offered  # holds a task in person
    assert not {str(user.pk) for user in cohort} & set(offered)

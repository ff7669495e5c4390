"""Who may use the programme's pages, pinned page by page from the role table.

tests/test_permissions.py checks every view against the permission it declares; these
tests check the declarations themselves (a page declared for the wrong permission fails
only here). Also the ethics gate and who may start a programme."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import EthicsAcknowledgement, Stage, StageTask
from programmes.services import ethics_acknowledge, ethics_statement_set

from .. import factories
from ..factories import ALL_ROLES
from ..urls import programme_url

RUNNERS = {"coordinator", "org_admin"}
SETUP_READERS = RUNNERS | {"steering", "supervisor", "executive"}
EVERYONE = SETUP_READERS | {"senior", "junior"}


@pytest.mark.parametrize(
    ("view", "allowed"),
    [
        ("plan", SETUP_READERS),
        ("setup", SETUP_READERS),
        ("steering", SETUP_READERS),
        ("readiness", SETUP_READERS),
        ("ethics", EVERYONE),
        ("training", EVERYONE),
        ("resources", EVERYONE),
        ("calendar", EVERYONE),
        ("sign_off", {"executive"}),
    ],
)
@pytest.mark.django_db
def test_role_matrix_for_set_up_pages(client, programme, people, view, allowed):
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        page = programme_url(f"programmes:{view}", programme)
        assert client.get(page).status_code == expected, who


@pytest.mark.parametrize("view", ["setup", "steering", "training", "resources"])
@pytest.mark.django_db
def test_readers_cannot_change_set_up(client, programme, people, view):
    for who in ["steering", "supervisor", "executive"]:
        client.force_login(people[who])
        page = programme_url(f"programmes:{view}", programme)
        assert client.post(page, {}).status_code == 403, who


@pytest.mark.parametrize(
    ("view", "args"),
    [
        ("anchors", ()),
        ("stage_status", ("stage",)),
        ("stage_dates", ("stage",)),
        ("task_add", ("stage",)),
        ("task_status", ("task",)),
        ("task_remove", ("task",)),
    ],
)
@pytest.mark.django_db
def test_only_those_who_run_the_programme_change_the_timeline(
    client, programme, people, view, args
):
    ids = {
        "stage": Stage.objects.filter(programme=programme).first().pk,
        "task": StageTask.objects.filter(programme=programme).first().pk,
    }
    target = programme_url(f"programmes:{view}", programme, *(ids[a] for a in args))
    for who in ["steering", "senior", "supervisor", "executive", "no_role"]:
        client.force_login(people[who])
        assert client.post(target, {}).status_code == 403, who


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
        page = programme_url(f"programmes:{view}", programme)
        assert client.get(page).status_code == expected, who


@pytest.mark.django_db
def test_a_member_without_a_coordinator_role_cannot_create_programmes(client, org):
    client.force_login(factories.member(org))
    assert client.get(reverse("programmes:new", args=[org.slug])).status_code == 403


@pytest.mark.django_db
def test_participants_acknowledge_the_ethics_statement_before_taking_part(
    client, programme, people
):
    ethics_statement_set(programme=programme, text="What is said in the pair stays in the pair.")
    senior = people["senior"]
    client.force_login(senior)
    response = client.get(programme_url("programmes:training", programme))
    assert response.status_code == 302 and response["Location"] == programme_url(
        "programmes:ethics", programme
    )
    client.post(programme_url("programmes:ethics_acknowledge", programme))
    ack = EthicsAcknowledgement.objects.get(user=senior)
    assert (ack.version, ack.text) == (1, "What is said in the pair stays in the pair.")
    assert ack.acknowledged_at.date() == timezone.now().date()
    assert client.get(programme_url("programmes:training", programme)).status_code == 200

    ethics_statement_set(programme=programme, text="New ground rules.")  # version 2
    assert client.get(programme_url("programmes:training", programme)).status_code == 302
    client.force_login(people["steering"])  # not a participant: never held back
    assert client.get(programme_url("programmes:training", programme)).status_code == 200


@pytest.mark.django_db
def test_the_coordinator_finds_who_has_not_yet_acknowledged_the_ground_rules(
    client, programme, people
):
    ethics_statement_set(programme=programme, text="What is said in the pair stays in the pair.")
    ethics_acknowledge(programme=programme, user=people["senior"])
    client.force_login(people["coordinator"])
    url = programme_url("programmes:ethics", programme)

    def rows(**query) -> str:
        return client.get(url, query).content.decode().split("<tbody>", 1)[1].split("</tbody>")[0]

    everyone = rows()
    assert people["senior"].full_name in everyone and people["junior"].full_name in everyone
    waiting = rows(waiting="on")
    assert people["junior"].full_name in waiting and people["senior"].full_name not in waiting
    named = rows(name=people["senior"].full_name.lower())
    assert people["senior"].full_name in named and "Acknowledged" in named
    assert "Nobody matches." in rows(name="nobody by this name")
    assert "at most 100 characters" in client.get(url, {"name": "x" * 101}).content.decode()

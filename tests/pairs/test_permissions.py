"""Who may use the pairs' pages, pinned page by page from the role table.

tests/test_permissions.py checks every view against the permission it declares; these
tests check the declarations themselves (a page declared for the wrong permission fails
only here)."""

import pytest

from organisations.roles import Side
from pairs.services import participant_add

from ..factories import ALL_ROLES
from ..urls import programme_url


@pytest.mark.parametrize("view", ["candidates", "matching", "pairs"])
@pytest.mark.django_db
def test_selection_and_matching_are_for_coordinators_only(client, programme, people, view):
    for who in ["org_admin", "steering", "senior", "junior", "supervisor", "executive", "no_role"]:
        client.force_login(people[who])
        assert client.get(programme_url(f"pairs:{view}", programme)).status_code == 403, who
    client.force_login(people["coordinator"])
    assert client.get(programme_url(f"pairs:{view}", programme)).status_code == 200


@pytest.mark.parametrize("view", ["my_profile", "my_pair"])
@pytest.mark.django_db
def test_profile_and_partner_pages_are_for_participants(client, programme, people, view):
    participant_add(programme=programme, user=people["junior"], side=Side.JUNIOR)
    for who in ["coordinator", "org_admin", "steering", "supervisor", "executive", "no_role"]:
        client.force_login(people[who])
        assert client.get(programme_url(f"pairs:{view}", programme)).status_code == 403, who
    client.force_login(people["junior"])
    assert client.get(programme_url(f"pairs:{view}", programme)).status_code == 200


@pytest.mark.parametrize(
    ("view", "allowed"),
    [
        ("pairs", {"coordinator"}),
        ("export", {"coordinator"}),
        ("my_pairs", {"steering"}),
        ("my_pair", {"senior", "junior"}),
    ],
)
@pytest.mark.django_db
def test_role_matrix_for_relationship_pages(client, pair, people, view, allowed):
    for who in ALL_ROLES:
        client.force_login(people[who])
        expected = 200 if who in allowed else 403
        page = programme_url(f"pairs:{view}", pair.programme)
        assert client.get(page).status_code == expected, who

"""A GET writes nothing to the database, the session included: every page of every role, from
the URL resolver, in a world that gives each page something to show.

A page that shows confidential records still has the reading audited, by a task it queues: in
tests that task runs at once in the same thread, so its statements are told apart from the
request's own (tests/queries.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .factories import ALL_ROLES
from .queries import RequestQueries
from .test_permissions import build_world, url_of
from .urls import tenant_patterns

# Pages outside any organisation that a signed-in person opens.
ACCOUNT_PAGES = [
    "home",
    "account_name",
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
    "socialaccount_connections",
]


def writes_of_gets(client: Client, urls: list[str]) -> tuple[int, list[str]]:
    """(how many pages opened, each write a GET made itself: its page and statement)."""
    client.get(urls[0])  # the first request after signing in may settle the session
    shown, wrote = 0, []
    for url in urls:
        with RequestQueries() as queries:
            response = client.get(url)
        shown += response.status_code == 200
        wrote += [f"{url} ({response.status_code}): {sql[:160]}" for sql in queries.request_writes]
    return shown, wrote


@pytest.mark.django_db
@pytest.mark.parametrize("who", ALL_ROLES)
def test_no_get_of_any_page_writes_to_the_database(programme, people, who):
    world = build_world(programme, people)
    client = Client(raise_request_exception=False)
    client.force_login(people[who])
    urls = [url_of(world, route, name) for route, name, _ in tenant_patterns()]
    shown, wrote = writes_of_gets(client, urls + [reverse(name) for name in ACCOUNT_PAGES])
    assert shown > len(ACCOUNT_PAGES)  # tenant pages opened too, rather than all refusing
    assert not wrote, "\n".join(wrote)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "steering", "junior", "supervisor", "org_admin"])
def test_the_first_look_at_a_new_programme_writes_nothing_either(programme, people, who):
    """Pages that would make what they show on its first view (settings, a calendar address)
    are opened before anything exists."""
    org_slug = programme.organisation.slug
    urls = [
        reverse(name, kwargs={"org_slug": org_slug, "programme_id": programme.pk})
        for route, name, _ in tenant_patterns()
        if set(re.findall(r"<\w+:(\w+)>", route)) == {"org_slug", "programme_id"}
    ]
    client = Client(raise_request_exception=False)
    client.force_login(people[who])
    shown, wrote = writes_of_gets(client, urls)
    assert shown > 5
    assert not wrote, "\n".join(wrote)

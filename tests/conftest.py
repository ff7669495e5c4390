import os

import pytest
from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled

from organisations.roles import OrgRole, Role, Side

from . import factories

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def skip_or_fail(reason: str) -> None:
    """Outside CI a missing server skips the test with its reason; in CI nothing may be skipped."""
    if IN_CI:
        pytest.fail(f"CI must run this test, but: {reason}")
    pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped:
        reporter.write_line(
            f"CI=true: {skipped} test(s) were skipped; nothing may be skipped in CI."
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True, scope="session")
def _tasks_are_registered():
    """A web process sends tasks by name and never imports the task modules (which pull in the
    worker's libraries); the tests run tasks in-process, so they load them as a worker does."""
    from config.celery import app

    app.loader.import_default_modules()


@pytest.fixture(autouse=True)
def _emails_go_through_the_outbox(settings):
    """Django's test set-up swaps the e-mail backend for its mailbox; here, as in production,
    every e-mail is recorded in the outbox, which delivers into that mailbox."""
    settings.EMAIL_BACKEND = "notifications.outbox.OutboxBackend"


@pytest.fixture(autouse=True)
def _test_code_runs_unscoped():
    """Test set-up and assertions may read across tenants. Views still run inside the scope that
    the tenant middleware opens, and tasks inside their own, so leaks in them still fail."""
    with scopes_disabled():
        yield


@pytest.fixture
def services() -> None:
    """Real PostgreSQL and Redis, as in CI."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not settings.REDIS_URL:
        skip_or_fail("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture
def workers(services, tmp_path):
    """Real workers, started as a test needs them (`workers.start()`), all stopped after it."""
    from config.celery import app

    from .workers import Workers

    made: list[Workers] = []

    def make(**env: str) -> Workers:
        made.append(Workers(tmp_path / str(len(made)), **env))
        return made[-1]

    app.conf.task_always_eager = False  # these tests talk to the broker as production does
    try:
        yield make
    finally:
        app.conf.task_always_eager = True
        for group in made:
            group.stop_all()


@pytest.fixture
def org(db):
    return factories.OrganisationFactory()


@pytest.fixture
def other_org(db):
    return factories.OrganisationFactory()


@pytest.fixture
def admin_user(org):
    return factories.member(org, role=OrgRole.ADMIN)


@pytest.fixture
def coordinator(org):
    return factories.member(org)


@pytest.fixture
def programme(org, coordinator):
    return factories.programme(org, coordinator=coordinator)


@pytest.fixture
def people(programme, coordinator):
    """One person for every role in `programme`, plus an outsider from another organisation."""
    other = factories.OrganisationFactory()
    return {
        "coordinator": coordinator,
        "steering": factories.programme_person(programme, Role.STEERING),
        "senior": factories.programme_person(programme, Role.PARTICIPANT, Side.SENIOR),
        "junior": factories.programme_person(programme, Role.PARTICIPANT, Side.JUNIOR),
        "supervisor": factories.programme_person(programme, Role.SUPERVISOR),
        "executive": factories.programme_person(programme, Role.EXECUTIVE),
        "no_role": factories.member(programme.organisation),
        "org_admin": factories.member(programme.organisation, role=OrgRole.ADMIN),
        "outsider": factories.member(other),
    }


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"needs Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary blocking calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()

"""The worker proposes recurring themes by similarity: the task run as Celery runs it (eagerly
in tests, inside the organisation's scope), delivered once or twice."""

import pytest

from themes.models import GroupingRun, RecurringStatus, RecurringTheme, Theme
from themes.services import grouping_request

from .conftest import draft, grouped, new_pair, shared

CALIBRATION = (
    "Calibration changes nobody records",
    "After a promotion panel, scores move in a calibration meeting with no minutes.",
)
CALIBRATION_AGAIN = (
    "Promotion scores moved in calibration",
    "Our panel scores were changed at calibration and nobody recorded why.",
)
PUB = ("Socialising happens at the pub", "The conversations that matter happen at the pub.")
PUB_AGAIN = ("After-work drinks at the pub", "Colleagues who do not drink miss the pub talk.")


def share_each(programme, *themes: tuple[str, str]) -> list[Theme]:
    return [shared(new_pair(programme), title, noticed=noticed) for title, noticed in themes]


def propose(programme, coordinator, capture) -> GroupingRun:
    """The coordinator asks; once the request commits, the worker proposes."""
    with capture(execute=True):
        run = grouping_request(programme=programme, by=coordinator)
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_the_worker_proposes_groupings_of_shared_themes_from_different_pairs(
    programme, coordinator, django_capture_on_commit_callbacks
):
    calibration = share_each(programme, CALIBRATION, CALIBRATION_AGAIN)
    pub = share_each(programme, PUB, PUB_AGAIN)
    draft(new_pair(programme), CALIBRATION[0], noticed=CALIBRATION[1])  # a draft stays out
    run = propose(programme, coordinator, django_capture_on_commit_callbacks)
    assert run.finished_at is not None and run.proposed == 2
    proposals = RecurringTheme.objects.filter(programme=programme)
    assert {p.status for p in proposals} == {RecurringStatus.PROPOSED}
    members = {p.title: {t.pk for t in p.themes.all()} for p in proposals}
    assert sorted(members.values(), key=min) == sorted(
        [{t.pk for t in calibration}, {t.pk for t in pub}], key=min
    )
    assert all("pub" in p.shared_words or "calibration" in p.shared_words for p in proposals)
    assert Theme.objects.filter(shared_at__isnull=True, recurring__isnull=False).count() == 0


@pytest.mark.django_db
def test_a_run_delivered_twice_proposes_once(
    programme, coordinator, django_capture_on_commit_callbacks
):
    from themes.tasks import propose_groupings

    share_each(programme, PUB, PUB_AGAIN)
    run = propose(programme, coordinator, django_capture_on_commit_callbacks)
    first = list(RecurringTheme.objects.values_list("pk", "title"))
    assert propose_groupings(run.pk) == 1  # delivered again
    assert list(RecurringTheme.objects.values_list("pk", "title")) == first


@pytest.mark.django_db
def test_a_new_run_replaces_the_proposals_and_leaves_what_was_accepted(
    programme, coordinator, django_capture_on_commit_callbacks
):
    pub = share_each(programme, PUB, PUB_AGAIN)
    accepted = grouped(programme, "The pub", *pub)
    share_each(programme, CALIBRATION, CALIBRATION_AGAIN)
    propose(programme, coordinator, django_capture_on_commit_callbacks)
    proposal = RecurringTheme.objects.get(status=RecurringStatus.PROPOSED)
    run = propose(programme, coordinator, django_capture_on_commit_callbacks)
    assert run.proposed == 1
    again = RecurringTheme.objects.get(status=RecurringStatus.PROPOSED)
    assert again.pk != proposal.pk and again.themes.count() == 2  # replaced, not doubled
    assert set(accepted.themes.all()) == set(pub)  # an accepted one is never proposed anew


@pytest.mark.django_db
def test_a_run_for_a_row_deleted_meanwhile_does_nothing(programme, coordinator):
    from themes.tasks import propose_groupings

    run = GroupingRun.objects.create(programme=programme, requested_by=coordinator)
    GroupingRun.objects.filter(pk=run.pk).delete()
    assert propose_groupings(run.pk) is None

"""Running, amending and publishing the matching, and a pair's status from then on."""

import re

import pytest
from django.db import IntegrityError, transaction

from organisations.emails import absolute_url
from organisations.models import Invitation
from organisations.services import invitation_accept
from pairs.models import Decision, NeverPair, Pair, PairEvent, PairStatus, Profile
from pairs.services import (
    PairsError,
    cohort_import,
    decision_record,
    matching_publish,
    matching_run,
    pair_status_set,
)

from .. import factories
from ..factories import COHORT_CSV_HEADER, selected_cohort
from ..mailbox import delivered
from ..urls import programme_url


@pytest.mark.django_db
def test_the_coordinator_runs_amends_and_publishes_the_matching(
    client, programme, people, django_capture_on_commit_callbacks
):
    profiles = selected_cohort(programme, 3, 4)
    client.force_login(people["coordinator"])
    client.post(programme_url("pairs:run_matching", programme), weights())
    proposed = list(Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED))
    assert len(proposed) == 3
    page = client.get(programme_url("pairs:matching", programme)).content.decode()
    assert "Unmatched (1): 1 junior<" in page

    first, second, third = proposed
    client.post(
        programme_url("pairs:swap_pairs", programme), {"first": first.pk, "second": second.pk}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.locked and second.locked
    swapped = {(first.senior_id, first.junior_id), (second.senior_id, second.junior_id)}

    client.post(programme_url("pairs:forbid_pair", programme, third.pk))
    assert NeverPair.objects.filter(senior=third.senior, junior=third.junior).exists()
    client.post(programme_url("pairs:run_matching", programme), weights())
    current = Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED)
    assert swapped <= {(p.senior_id, p.junior_id) for p in current}  # locks survive
    assert not current.filter(senior=third.senior, junior=third.junior).exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirm_publishing(client, programme)
    active = Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE)
    assert active.count() == 3
    introductions = [m for m in delivered() if "meet your partner" in m.subject]
    assert len(introductions) == 6
    pair = active.select_related("senior__user").first()
    to_senior = next(m for m in introductions if m.to == [pair.senior.email])
    assert f"One-pager of {pair.junior.full_name}" in to_senior.body
    partnership = absolute_url(programme_url("pairs:my_pair", programme))
    assert partnership in to_senior.body
    assert f'href="{partnership}"' in to_senior.alternatives[0][0]
    assert PairEvent.objects.filter(pair=pair, status=PairStatus.ACTIVE).exists()

    client.force_login(pair.senior.user)
    page = client.get(programme_url("pairs:my_pair", programme)).content.decode()
    assert pair.junior.full_name in page
    assert profiles


def confirm_publishing(client, programme):
    """Open the confirmation page and confirm what it shows."""
    page = client.get(programme_url("pairs:publish", programme)).content.decode()
    key = re.search(r'name="proposal" value="([^"]*)"', page).group(1)
    return client.post(
        programme_url("pairs:publish", programme), {"confirm": "publish", "proposal": key}
    )


@pytest.mark.django_db
def test_publishing_says_what_it_will_do_and_happens_only_when_confirmed(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    selected_cohort(programme, 2, 2)
    matching_run(programme=programme)
    client.force_login(coordinator)
    matching_page = client.get(programme_url("pairs:matching", programme)).content.decode()
    assert f'href="{programme_url("pairs:publish", programme)}"' in matching_page
    page = client.get(programme_url("pairs:publish", programme)).content.decode()
    assert "2 pairs will be published and 4 people e-mailed an introduction." in page
    assert len(re.findall('data-testid="pair-to-publish"', page)) == 2
    # The decision before the list it covers, which at 300 pairs runs to 300 rows.
    assert page.index('name="confirm"') < page.index('data-testid="pair-to-publish"')

    delivered().clear()
    with django_capture_on_commit_callbacks(execute=True):
        unconfirmed = client.post(programme_url("pairs:publish", programme), {})
        old_page = client.post(programme_url("pairs:matching", programme), {"publish": "1"})
        stale = client.post(
            programme_url("pairs:publish", programme), {"confirm": "publish", "proposal": "1:2:3"}
        )
    assert unconfirmed.status_code == 400
    assert "Nothing was published: confirm with the button below." in unconfirmed.content.decode()
    assert old_page.status_code == 405  # the matching page itself takes no post
    assert stale.status_code == 400 and "changed after this page was opened" in (
        stale.content.decode()
    )
    assert not Pair.objects.filter(status=PairStatus.ACTIVE).exists() and delivered() == []

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm_publishing(client, programme)
    assert done.status_code == 302 and done.url == programme_url("pairs:pairs", programme)
    assert Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE).count() == 2
    assert len(delivered()) == 4


@pytest.mark.django_db
def test_publishing_waits_for_partners_who_have_not_joined_and_says_who(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    senior = selected_cohort(programme, 1, 0)[0]
    cohort_import(
        programme=programme,
        data=(COHORT_CSV_HEADER + "Ann Invited,ann@x.test,junior,,3,\n").encode(),
        invited_by=coordinator,
    )
    ann = Profile.objects.get(email="ann@x.test")
    decision_record(profile=ann, decision=Decision.SELECTED, subject="Yes", body="Yes")
    matching_run(programme=programme)
    assert Pair.objects.filter(senior=senior, junior=ann, status=PairStatus.PROPOSED).exists()
    refusal = (
        "Ann Invited has not joined the organisation yet, so could not open their partnership "
        "page. Publishing waits until they accept their invitation, or until their pair is changed."
    )
    client.force_login(coordinator)
    assert (
        "Not joined yet" in client.get(programme_url("pairs:matching", programme)).content.decode()
    )
    page = client.get(programme_url("pairs:publish", programme)).content.decode()
    assert refusal in page and "ann@x.test" in page
    assert 'name="confirm"' not in page

    delivered().clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            programme_url("pairs:publish", programme), {"confirm": "publish", "proposal": ""}
        )
    assert response.status_code == 400
    with pytest.raises(PairsError, match="Ann Invited has not joined"):
        matching_publish(programme=programme, by=coordinator)
    assert not Pair.objects.filter(status=PairStatus.ACTIVE).exists() and delivered() == []

    invitation_accept(
        invitation=Invitation.objects.get(email="ann@x.test"),
        user=factories.member(factories.OrganisationFactory(), email="ann@x.test"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        confirm_publishing(client, programme)
    assert Pair.objects.get(senior=senior, junior=ann).status == PairStatus.ACTIVE
    assert sorted(m.to[0] for m in delivered()) == ["ann@x.test", senior.email]


def weights() -> dict[str, str]:
    return {
        "diversity_weight": "3",
        "department_weight": "2",
        "function_weight": "1",
        "location_weight": "1",
        "grade_gap_weight": "1",
        "min_grade_gap": "2",
    }


@pytest.mark.django_db
def test_matching_never_pairs_within_a_reporting_line(programme):
    boss, report = selected_cohort(programme, 1, 1)
    report.line_manager_email = boss.email
    report.save()
    result = matching_run(programme=programme)
    assert result.pairs == ()
    assert not Pair.objects.filter(programme=programme).exists()


@pytest.mark.django_db
def test_someone_deselected_after_matching_is_not_published(programme, coordinator):
    senior, junior = selected_cohort(programme, 1, 1)
    matching_run(programme=programme)
    decision_record(profile=junior, decision=Decision.NOT_SELECTED, subject="No", body="No")
    assert not Pair.objects.filter(programme=programme).exists()
    with pytest.raises(PairsError):
        matching_publish(programme=programme, by=coordinator)
    assert senior


@pytest.mark.django_db
def test_a_person_is_in_at_most_one_active_pair_and_a_pair_keeps_its_history(
    programme, coordinator
):
    senior, junior, other = selected_cohort(programme, 1, 2)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    pair = Pair.objects.get(programme=programme, status=PairStatus.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pair.objects.create(
            programme=programme, senior=senior, junior=other, status=PairStatus.ACTIVE
        )
    with pytest.raises(PairsError):
        pair_status_set(pair=pair, status=PairStatus.PROPOSED, by=coordinator)
    pair_status_set(pair=pair, status=PairStatus.ENDED_EARLY, by=coordinator, note="No blame")
    assert [e.status for e in pair.history.all()] == [PairStatus.ACTIVE, PairStatus.ENDED_EARLY]
    assert junior


@pytest.mark.django_db
def test_the_coordinator_ends_a_pair_early_and_it_keeps_its_history(client, programme, people):
    selected_cohort(programme, 1, 1)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=people["coordinator"])
    pair = Pair.objects.get(programme=programme)
    client.force_login(people["coordinator"])
    client.post(
        programme_url("pairs:set_pair_status", programme, pair.pk),
        {"status": "ended_early", "note": "Moved away"},
    )
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED_EARLY
    page = client.get(programme_url("pairs:pair", programme, pair.pk)).content.decode()
    assert "Ended early" in page and "Moved away" in page and "Published" in page
    again = client.post(
        programme_url("pairs:set_pair_status", programme, pair.pk), {"status": "completed"}
    )
    assert again.status_code == 400
    assert "cannot become completed" in again.content.decode()
    client.force_login(people["org_admin"])
    assert client.get(programme_url("pairs:pair", programme, pair.pk)).status_code == 403


@pytest.mark.django_db
def test_a_pair_ended_early_is_never_proposed_again(programme, coordinator):
    selected_cohort(programme, 1, 1)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    pair = Pair.objects.get(programme=programme)
    pair_status_set(pair=pair, status=PairStatus.ENDED_EARLY, by=coordinator)
    result = matching_run(programme=programme)
    assert result.pairs == ()


@pytest.mark.django_db
def test_partners_whose_relationship_completed_are_not_paired_again(client, programme, coordinator):
    """A completed relationship has run its course; only a pair ended early frees its partners
    for a rematch. A finished programme's matching page once listed everyone as unmatched and
    offered to publish them in new pairs."""
    from pairs.services import pair_propose

    selected_cohort(programme, 2, 2)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    completed, ended = Pair.objects.filter(programme=programme).order_by("pk")
    pair_status_set(pair=completed, status=PairStatus.COMPLETED, by=coordinator)
    pair_status_set(pair=ended, status=PairStatus.ENDED_EARLY, by=coordinator)

    client.force_login(coordinator)
    page = client.get(programme_url("pairs:matching", programme)).content.decode()
    assert "Unmatched (2): 1 senior, 1 junior<" in page
    assert completed.senior.full_name not in page and completed.junior.full_name not in page
    result = matching_run(programme=programme)
    assert completed.senior_id not in {int(p.senior) for p in result.pairs}
    assert completed.junior_id not in {int(p.junior) for p in result.pairs}
    Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED).delete()
    with pytest.raises(PairsError, match="already in a pair"):
        pair_propose(programme=programme, senior=completed.senior, junior=ended.junior)

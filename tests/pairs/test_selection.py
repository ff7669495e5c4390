"""Selection: one-pagers and diversity data and who may see them, decisions and their
e-mails, applications through the link, and the steering members who review."""

import html
import re

import pytest
from django.urls import reverse

from organisations.roles import Side
from pairs.forms import DEFAULT_DECISION_WORDS
from pairs.models import Decision, DiversityData, Profile, RedFlagKind
from pairs.services import (
    decision_record,
    diversity_answers_give,
    matching_publish,
    matching_run,
    participant_add,
    selection_note_add,
)
from programmes.models import ProgrammeMember

from .. import factories
from ..factories import selected_cohort
from ..mailbox import delivered
from ..urls import programme_url


@pytest.mark.django_db
def test_a_participant_writes_their_one_pager_and_gives_and_withdraws_consent(
    client, programme, people
):
    profile = participant_add(programme=programme, user=people["senior"], side=Side.SENIOR)
    client.force_login(people["senior"])
    page = programme_url("pairs:save_profile", programme)
    bad = client.post(page, {"full_name": "Sam", "openness": "9"})
    assert bad.status_code == 400
    assert "Select a valid choice. 9 is not one of the available choices." in bad.content.decode()
    assert 'value="Sam"' in bad.content.decode()
    client.post(
        page,
        {
            "full_name": "Sam Senior",
            "hoped_learning": "How bias shapes careers here",
            "aspirations": "Honest conversations",
            "meeting_preference": "virtual",
            "openness": "5",
        },
    )
    profile.refresh_from_db()
    assert (profile.hoped_learning, profile.openness) == ("How bias shapes careers here", 5)

    no_consent = client.post(programme_url("pairs:save_diversity", programme), {"gender": "woman"})
    assert "Tick the box to give your consent" in no_consent.content.decode()
    assert not DiversityData.objects.exists()
    client.post(
        programme_url("pairs:save_diversity", programme),
        {
            "consent": "on",
            "gender": "woman",
            "ethnicity": "prefer_not_to_say",
        },
    )
    data = DiversityData.objects.get(profile=profile)
    assert data.answers == {"gender": "woman", "ethnicity": "prefer_not_to_say"}
    assert "matching" in data.consent_text
    client.post(programme_url("pairs:withdraw_diversity", programme))
    assert not DiversityData.objects.filter(profile=profile).exists()


@pytest.mark.django_db
def test_diversity_answers_and_red_flags_reach_nobody_else(
    client, programme, people, django_capture_on_commit_callbacks
):
    senior = participant_add(programme=programme, user=people["senior"], side=Side.SENIOR)
    junior = participant_add(programme=programme, user=people["junior"], side=Side.JUNIOR)
    diversity_answers_give(profile=senior, answers={"sexual_orientation": "lgb"})
    diversity_answers_give(profile=junior, answers={"ethnicity": "black"})
    selection_note_add(
        profile=senior,
        author=people["coordinator"],
        text="Seemed to be sent by their boss",
        red_flag=RedFlagKind.RELUCTANT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        for p in (senior, junior):
            decision_record(profile=p, decision=Decision.SELECTED, subject="Selected", body="Yes")
        matching_run(programme=programme)
        matching_publish(programme=programme, by=people["coordinator"])
    assert len(delivered()) == 4  # two decisions, two introductions

    # An answer shows only as the chosen option of its owner's own form.
    answers = {"senior": 'value="lgb" selected', "junior": 'value="black" selected'}
    pages = [
        programme_url("pairs:candidates", programme),
        programme_url("pairs:candidate", programme, senior.pk),
        programme_url("pairs:matching", programme),
        programme_url("pairs:pairs", programme),
        programme_url("pairs:my_pair", programme),
        programme_url("pairs:my_profile", programme),
        programme_url("programmes:timeline", programme),
    ]
    for who in ["coordinator", "org_admin", "steering", "junior", "supervisor", "executive"]:
        client.force_login(people[who])
        for page in pages:
            html = client.get(page).content.decode()
            for owner, answer in answers.items():
                if not (who == owner and page == programme_url("pairs:my_profile", programme)):
                    assert answer not in html, (who, page, owner)
            if who != "coordinator":
                assert "Seemed to be sent" not in html, (who, page)
                assert "Reluctant participant" not in html, (who, page)
    for message in delivered():
        for secret in ["lgb", "Gay", "black", "Black", "Seemed to be sent", "Reluctant"]:
            assert secret not in message.body and secret not in message.alternatives[0][0]


@pytest.mark.django_db
def test_another_organisations_candidate_is_never_reachable(client, programme, coordinator):
    theirs = factories.programme(factories.OrganisationFactory())
    profile = participant_add(
        programme=theirs,
        user=factories.member(theirs.organisation),
        side=Side.JUNIOR,
    )
    client.force_login(coordinator)
    assert client.get(programme_url("pairs:candidate", programme, profile.pk)).status_code == 404


@pytest.mark.django_db
def test_a_decision_e_mails_the_coordinators_words(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    profile = selected_cohort(programme, 1, 0)[0]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            programme_url("pairs:record_decision", programme, profile.pk),
            {
                "decision": Decision.WAIT_LISTED,
                "subject": "About the pilot",
                "body": "You are on our waiting list.",
            },
        )
    profile.refresh_from_db()
    assert profile.decision == Decision.WAIT_LISTED
    decision = delivered()[-1]
    assert decision.subject == "About the pilot" and decision.to == [profile.email]
    assert "You are on our waiting list." in decision.body


def decision_fields(page: str) -> dict[str, str]:
    """What the decision form holds as the page shows it: decision, subject and body."""
    form = page[page.index('data-testid="decision-form"') :]
    subject_tag = re.search(r'<input[^>]*name="subject"[^>]*>', form).group(0)
    return {
        "decision": re.search(r'<option value="(\w+)" selected>', form).group(1),
        "subject": html.unescape(re.search(r'value="([^"]*)"', subject_tag).group(1)),
        "body": html.unescape(
            re.search(r'<textarea[^>]*name="body"[^>]*>\n?(.*?)</textarea>', form, re.S).group(1)
        ),
    }


def words_of(decision: str, programme) -> tuple[str, str]:
    subject, body = DEFAULT_DECISION_WORDS[decision]
    return subject.format(programme=programme.name), body.format(programme=programme.name)


@pytest.mark.parametrize("decision", [d for d in DEFAULT_DECISION_WORDS])
@pytest.mark.django_db
def test_each_decision_e_mails_its_own_suggested_words(
    client, programme, coordinator, django_capture_on_commit_callbacks, decision
):
    """Without JavaScript: choose the decision, ask for its words, send them."""
    profile = participant_add(
        programme=programme, user=factories.member(programme.organisation), side=Side.JUNIOR
    )
    client.force_login(coordinator)
    suggest = programme_url("pairs:suggest_words", programme, profile.pk)
    shown = client.post(suggest, {"decision": decision, "subject": "", "body": ""})
    assert shown.status_code == 200
    fields = decision_fields(shown.content.decode())
    assert fields == {
        "decision": decision,
        **dict(zip(("subject", "body"), words_of(decision, programme), strict=True)),
    }
    assert delivered() == [] and Profile.objects.get(pk=profile.pk).decision == Decision.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(programme_url("pairs:record_decision", programme, profile.pk), fields)
    assert Profile.objects.get(pk=profile.pk).decision == decision
    [message] = delivered()
    subject, body = words_of(decision, programme)
    assert (message.subject, body in message.body) == (subject, True)
    for other in DEFAULT_DECISION_WORDS:
        if other != decision:
            other_subject, other_body = words_of(other, programme)
            assert message.subject != other_subject and other_body not in message.body


@pytest.mark.django_db
def test_the_decision_form_starts_on_the_current_decision_with_human_labels(
    client, programme, coordinator
):
    profile = selected_cohort(programme, 0, 1)[0]
    decision_record(profile=profile, decision=Decision.WAIT_LISTED, subject="-", body="-")
    client.force_login(coordinator)
    page = client.get(programme_url("pairs:candidate", programme, profile.pk)).content.decode()
    assert decision_fields(page) == {
        "decision": Decision.WAIT_LISTED,
        **dict(zip(("subject", "body"), words_of(Decision.WAIT_LISTED, programme), strict=True)),
    }
    panel = re.findall(r'data-testid="suggested-words"><strong>(.*?)</strong>', page)
    assert panel == ["Selected", "Wait-listed", "Not selected"]
    assert "wait_listed</strong>" not in page and "not_selected</strong>" not in page
    assert 'id="decision-words" type="application/json"' in page
    assert re.search(r'<script src="[^"]*js/decision-words\.js" defer>', page)

    pending = participant_add(
        programme=programme, user=factories.member(programme.organisation), side=Side.SENIOR
    )
    fresh = client.get(programme_url("pairs:candidate", programme, pending.pk)).content.decode()
    assert decision_fields(fresh)["decision"] == Decision.SELECTED


@pytest.mark.django_db
def test_a_subject_on_two_lines_is_refused_beside_the_field(client, programme, coordinator):
    profile = selected_cohort(programme, 0, 1)[0]
    client.force_login(coordinator)
    response = client.post(
        programme_url("pairs:record_decision", programme, profile.pk),
        {"decision": "selected", "subject": "Hi\nBcc: all@x.test", "body": "Yes"},
    )
    assert response.status_code == 400
    assert "Write the subject on one line." in response.content.decode()


@pytest.mark.django_db
def test_colleagues_apply_through_the_link_the_coordinator_opens(client, programme, people):
    client.force_login(people["coordinator"])
    client.post(programme_url("pairs:open_applications", programme))
    page = client.get(programme_url("pairs:candidates", programme)).content.decode()
    link = programme.application_link
    apply_url = reverse("apply", args=[programme.organisation.slug, link.token])
    assert apply_url in page

    colleague = people["no_role"]
    client.force_login(colleague)
    missing = client.post(apply_url, {"side": "junior", "full_name": "Kim"})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    application = {
        "side": "junior",
        "full_name": "Kim Lee",
        "job_title": "Analyst",
        "department": "Finance",
        "hoped_learning": "How decisions are really made",
        "aspirations": "Two-way honesty",
        "meeting_preference": "either",
    }
    response = client.post(apply_url, application)
    assert response.status_code == 302
    profile = Profile.objects.get(programme=programme, user=colleague)
    assert (profile.side, profile.decision, profile.department) == ("junior", "pending", "Finance")
    again = client.post(apply_url, application)  # only once
    assert "You have already applied to this programme." in again.content.decode()

    client.force_login(people["coordinator"])
    client.post(programme_url("pairs:close_applications", programme))
    client.force_login(people["senior"])
    closed = client.get(apply_url).content.decode()
    assert "Applications are closed" in closed
    outsider = factories.member(factories.OrganisationFactory())
    client.force_login(outsider)
    assert client.get(apply_url).status_code == 404


@pytest.mark.django_db
def test_steering_members_the_coordinator_chooses_review_one_pagers_but_no_notes(
    client, programme, people
):
    senior = selected_cohort(programme, 1, 0)[0]
    selection_note_add(
        profile=senior, author=people["coordinator"], text="Private view", red_flag="reluctant"
    )
    client.force_login(people["steering"])
    assert client.get(programme_url("pairs:review", programme)).status_code == 403
    ProgrammeMember.objects.filter(user=people["steering"]).update(reviews_candidates=True)
    page = client.get(programme_url("pairs:review", programme)).content.decode()
    assert f"One-pager of {senior.full_name}" in page
    assert "Private view" not in page and "Reluctant" not in page
    assert client.get(programme_url("pairs:candidate", programme, senior.pk)).status_code == 403


@pytest.mark.django_db
def test_the_coordinator_on_the_side_by_side_review_sees_where_they_are(
    client, programme, coordinator
):
    client.force_login(coordinator)
    page = client.get(programme_url("pairs:review", programme)).content.decode()
    pages = page[page.index('data-testid="programme-pages"') :]
    current = re.search(r'<a class="nav-link active" aria-current="page" href="([^"]+)">', pages)
    assert current.group(1) == programme_url("pairs:candidates", programme)
    assert 'aria-current="true" href="' in page  # the section too: People and matching


@pytest.mark.django_db
def test_a_candidate_without_a_job_title_or_department_has_no_stray_separator(
    client, programme, coordinator
):
    profile = selected_cohort(programme, 1, 0)[0]
    profile.department = ""
    profile.save()
    client.force_login(coordinator)
    page = client.get(programme_url("pairs:candidates", programme)).content.decode()
    details = re.search(
        r'<p class="small text-body-secondary mb-1">(.*?)</p>', page[page.index("cand-") :]
    ).group(1)
    assert details == "grade 9 · Selected"

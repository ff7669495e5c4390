"""Participants, selection and matching by difference, through the app."""

import csv
import html
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from organisations.emails import absolute_url
from organisations.models import Invitation
from organisations.roles import Role, Side
from organisations.services import invitation_accept
from pairs import cohort_csv
from pairs.forms import DEFAULT_DECISION_WORDS
from pairs.models import (
    Decision,
    DiversityData,
    NeverPair,
    Pair,
    PairEvent,
    PairStatus,
    Profile,
    RedFlagKind,
)
from pairs.services import (
    PairsError,
    cohort_import,
    decision_record,
    diversity_answers_give,
    matching_publish,
    matching_run,
    pair_status_set,
    participant_add,
    selection_note_add,
)
from programmes.models import ProgrammeMember

from . import factories
from .mailbox import delivered

HEADER = "name,email,side,department,grade,line_manager_email\n"


def url(name: str, programme, *args: object) -> str:
    return reverse(f"pairs:{name}", args=[programme.organisation.slug, programme.pk, *args])


def upload(client, programme, content: bytes):
    return client.post(
        url("candidates", programme),
        {"file": SimpleUploadedFile("cohort.csv", content, content_type="text/csv")},
    )


# --- CSV import ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cohort_file_brings_members_in_and_invites_everyone_else(
    client, programme, people, django_capture_on_commit_callbacks
):
    colleague = factories.member(programme.organisation, email="ada@example.test")
    content = (
        HEADER
        + "Ada Obi,ADA@example.test,junior,Finance,3,boss@example.test\n"
        + "Ben Carr,ben@example.test,Senior,Operations,9,\n"
    ).encode()
    client.force_login(people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, programme, content)
    assert response.status_code == 302
    ada = Profile.objects.get(email="ada@example.test")
    assert (ada.user, ada.side, ada.grade, ada.line_manager_email) == (
        colleague,
        Side.JUNIOR,
        3,
        "boss@example.test",
    )
    assert ProgrammeMember.objects.filter(user=colleague, role=Role.PARTICIPANT).exists()
    invitation = Invitation.objects.get(email="ben@example.test")
    assert [m.to for m in delivered()] == [["ben@example.test"]]
    assert delivered()[0].body.startswith("Hello Ben Carr,")  # the file's name, not the address

    ben = factories.member(factories.OrganisationFactory(), email="ben@example.test")
    invitation_accept(invitation=invitation, user=ben)
    assert Profile.objects.get(email="ben@example.test").user == ben


BROKEN_FILES = [
    (b"", "The submitted file is empty."),
    (b"name,email\nAda,ada@example.test\n", "Missing: side, department, grade"),
    (
        "name,email,side,department,grade,line_manager_email\nZoë,z\xe9@x.test,junior,,,\n".encode(
            "latin-1"
        ),
        "not UTF-8",
    ),
    (HEADER.encode(), "The file has no people in it."),
    ((HEADER + "Ada,not-an-email,junior,,,\n").encode(), "Line 2: “not-an-email” is not an e-mail"),
    ((HEADER + "Ada,ada@x.test,middle,,,\n").encode(), "Line 2: The side is “middle”"),
    ((HEADER + "Ada,ada@x.test,junior,,G7,\n").encode(), "Line 2: The grade is “G7”"),
    (
        (HEADER + "Ada,ada@x.test,junior,,,\nAda again,ADA@x.test,senior,,,\n").encode(),
        "Line 3: ada@x.test appears twice (first on line 2).",
    ),
    ((HEADER + ",ada@x.test,junior,,,\n").encode(), "Line 2: The name is missing."),
    (
        (HEADER.strip() + ",email\nAda,a@x.test,junior,,,,b@x.test\n").encode(),
        "appear twice: email",
    ),
    ((HEADER + "Ada,ada@x.test,junior,,²,\n").encode(), "Line 2: The grade is “²”"),
    ((HEADER + "Ada,ada@x.test,junior,,3,,surplus\n").encode(), "more values than there are"),
    # Values the database could not hold: a NUL byte, more characters than the field takes.
    (
        (HEADER + "Ben,ben@x.test,senior,,,\nAda\x00Obi,ada@x.test,junior,,,\n").encode(),
        "Line 3: The name contains a character that cannot be stored (a NUL byte).",
    ),
    (
        (HEADER + "A" * 10_000 + ",ada@x.test,junior,,,\n").encode(),
        "Line 2: The name is 10,000 characters long; at most 150 fit.",
    ),
    (
        (HEADER + "Ada,ada@x.test,junior," + "D" * 10_000 + ",,\n").encode(),
        "Line 2: The department is 10,000 characters long; at most 150 fit.",
    ),
    (
        (HEADER + "Ada," + "a" * 250 + "@x.test,junior,,,\n").encode(),
        "Line 2: The e-mail address is 257 characters long; at most 254 fit.",
    ),
    (
        (HEADER + "Ada,ada@x.test,junior,Fin\x00ance,,b@x.test\n").encode(),
        "Line 2: The department contains a character that cannot be stored",
    ),
    ((HEADER + "Ada,ada@x.test,junior,," + "9" * 5000 + ",\n").encode(), "Line 2: The grade is"),
    (b"name\x00,email,side,department,grade,line_manager_email\n", "Line 1: The column names"),
]


@pytest.mark.django_db
def test_spreadsheet_quirks_still_import(programme, coordinator):
    """A byte-order mark, Windows or old Mac line ends, quoted commas, empty trailing columns,
    and column names in capitals with spaces."""
    content = (
        "\ufeffNAME , Email,side,department,grade,line_manager_email,,\r"
        'Ada,ada@x.test,junior,"Finance, EMEA",3,,,\r'
    ).encode()
    report = cohort_import(programme=programme, data=content, invited_by=coordinator)
    assert report.parsed.errors == ()
    assert Profile.objects.get(email="ada@x.test").department == "Finance, EMEA"


@pytest.mark.parametrize(("content", "message"), BROKEN_FILES)
@pytest.mark.django_db
def test_a_broken_file_imports_nothing_and_says_which_line_and_why(
    client, programme, coordinator, content, message
):
    good_then_bad = content
    client.force_login(coordinator)
    response = upload(client, programme, good_then_bad)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Profile.objects.filter(programme=programme).exists()
    assert not Invitation.objects.exists()
    assert delivered() == []


@pytest.mark.django_db
def test_an_unstorable_value_is_not_quoted_back_and_the_rest_of_the_line_is_still_checked(
    client, programme, coordinator
):
    client.force_login(coordinator)
    response = upload(
        client, programme, (HEADER + "N" * 10_000 + ",not-an-email,junior,,,\n").encode()
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: The name is 10,000 characters long; at most 150 fit." in page
    assert "“not-an-email” is not an e-mail address." in page
    assert "N" * 151 not in page


def test_a_csv_module_that_refuses_a_nul_byte_still_gives_the_line(monkeypatch):
    """Some Python versions' csv module raises on a NUL byte instead of reading it."""

    class RefusingNul(csv.DictReader):
        def __next__(self):
            row = super().__next__()
            if "\x00" in "".join(value or "" for value in row.values()):
                raise csv.Error("line contains NUL")
            return row

    monkeypatch.setattr(cohort_csv.csv, "DictReader", RefusingNul)
    parsed = cohort_csv.parse_cohort(
        (HEADER + "Ben,ben@x.test,senior,,,\nAda\x00,ada@x.test,junior,,,\n").encode(),
        max_lengths={},
    )
    assert parsed.errors == (
        cohort_csv.RowError(
            3, "This line contains a character that cannot be stored (a NUL byte)."
        ),
    )


@pytest.mark.django_db
def test_someone_already_in_the_programme_is_a_duplicate(client, programme, coordinator):
    client.force_login(coordinator)
    upload(client, programme, (HEADER + "Ada,ada@x.test,junior,,,\n").encode())
    response = upload(
        client, programme, (HEADER + "Bo,bo@x.test,senior,,,\nAda,ada@x.test,junior,,,\n").encode()
    )
    assert "Line 3: ada@x.test is already in the programme." in response.content.decode()
    assert Profile.objects.filter(programme=programme).count() == 1


@pytest.mark.django_db
def test_two_thousand_rows_import_in_one_go(
    programme, coordinator, django_capture_on_commit_callbacks
):
    rows = "".join(
        f"Person {n},member{n}@cohort.test,{'senior' if n % 2 else 'junior'},Dept {n % 7},"
        f"{n % 10 + 1},\n"
        for n in range(2000)
    )
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        report = cohort_import(
            programme=programme, data=(HEADER + rows).encode(), invited_by=coordinator
        )
    elapsed = time.perf_counter() - started
    assert report.parsed.errors == ()
    assert (report.added, report.invited) == (0, 2000)
    assert Profile.objects.filter(programme=programme).count() == 2000
    assert len(delivered()) == 2000
    assert elapsed < 60


# --- Profile and diversity data -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_writes_their_one_pager_and_gives_and_withdraws_consent(
    client, programme, people
):
    profile = participant_add(programme=programme, user=people["senior"], side=Side.SENIOR)
    client.force_login(people["senior"])
    page = url("save_profile", programme)
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

    no_consent = client.post(url("save_diversity", programme), {"gender": "woman"})
    assert "Tick the box to give your consent" in no_consent.content.decode()
    assert not DiversityData.objects.exists()
    client.post(
        url("save_diversity", programme),
        {
            "consent": "on",
            "gender": "woman",
            "ethnicity": "prefer_not_to_say",
        },
    )
    data = DiversityData.objects.get(profile=profile)
    assert data.answers == {"gender": "woman", "ethnicity": "prefer_not_to_say"}
    assert "matching" in data.consent_text
    client.post(url("withdraw_diversity", programme))
    assert not DiversityData.objects.filter(profile=profile).exists()


# --- Privacy: diversity answers and red flags -----------------------------------------------------


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
        url("candidates", programme),
        url("candidate", programme, senior.pk),
        url("matching", programme),
        url("pairs", programme),
        url("my_pair", programme),
        url("my_profile", programme),
        reverse("programmes:timeline", args=[programme.organisation.slug, programme.pk]),
    ]
    for who in ["coordinator", "org_admin", "steering", "junior", "supervisor", "executive"]:
        client.force_login(people[who])
        for page in pages:
            html = client.get(page).content.decode()
            for owner, answer in answers.items():
                if not (who == owner and page == url("my_profile", programme)):
                    assert answer not in html, (who, page, owner)
            if who != "coordinator":
                assert "Seemed to be sent" not in html, (who, page)
                assert "Reluctant participant" not in html, (who, page)
    for message in delivered():
        for secret in ["lgb", "Gay", "black", "Black", "Seemed to be sent", "Reluctant"]:
            assert secret not in message.body and secret not in message.alternatives[0][0]


@pytest.mark.parametrize("view", ["candidates", "matching", "pairs"])
@pytest.mark.django_db
def test_selection_and_matching_are_for_coordinators_only(client, programme, people, view):
    for who in ["org_admin", "steering", "senior", "junior", "supervisor", "executive", "no_role"]:
        client.force_login(people[who])
        assert client.get(url(view, programme)).status_code == 403, who
    client.force_login(people["coordinator"])
    assert client.get(url(view, programme)).status_code == 200


@pytest.mark.django_db
def test_another_organisations_candidate_is_never_reachable(client, programme, coordinator):
    theirs = factories.programme(factories.OrganisationFactory())
    profile = participant_add(
        programme=theirs,
        user=factories.member(theirs.organisation),
        side=Side.JUNIOR,
    )
    client.force_login(coordinator)
    assert client.get(url("candidate", programme, profile.pk)).status_code == 404


# --- Selection, matching, amending, publishing -------------------------------------------------


def cohort(programme, seniors: int, juniors: int, **fields) -> list[Profile]:
    profiles = []
    for n in range(seniors + juniors):
        side = Side.SENIOR if n < seniors else Side.JUNIOR
        user = factories.member(programme.organisation, full_name=f"{side.title()} {n}")
        profile = participant_add(programme=programme, user=user, side=side)
        profile.department = f"Dept {n % 3}"
        profile.grade = 9 if side == Side.SENIOR else 3
        profile.hoped_learning = f"One-pager of {user.full_name}"
        profile.save()
        decision_record(profile=profile, decision=Decision.SELECTED, subject="Yes", body="Yes")
        profiles.append(profile)
    return profiles


@pytest.mark.django_db
def test_a_decision_e_mails_the_coordinators_words(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    profile = cohort(programme, 1, 0)[0]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("record_decision", programme, profile.pk),
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
    suggest = url("suggest_words", programme, profile.pk)
    shown = client.post(suggest, {"decision": decision, "subject": "", "body": ""})
    assert shown.status_code == 200
    fields = decision_fields(shown.content.decode())
    assert fields == {
        "decision": decision,
        **dict(zip(("subject", "body"), words_of(decision, programme), strict=True)),
    }
    assert delivered() == [] and Profile.objects.get(pk=profile.pk).decision == Decision.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("record_decision", programme, profile.pk), fields)
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
    profile = cohort(programme, 0, 1)[0]
    decision_record(profile=profile, decision=Decision.WAIT_LISTED, subject="-", body="-")
    client.force_login(coordinator)
    page = client.get(url("candidate", programme, profile.pk)).content.decode()
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
    fresh = client.get(url("candidate", programme, pending.pk)).content.decode()
    assert decision_fields(fresh)["decision"] == Decision.SELECTED


@pytest.mark.django_db
def test_a_subject_on_two_lines_is_refused_beside_the_field(client, programme, coordinator):
    profile = cohort(programme, 0, 1)[0]
    client.force_login(coordinator)
    response = client.post(
        url("record_decision", programme, profile.pk),
        {"decision": "selected", "subject": "Hi\nBcc: all@x.test", "body": "Yes"},
    )
    assert response.status_code == 400
    assert "Write the subject on one line." in response.content.decode()


@pytest.mark.django_db
def test_the_coordinator_runs_amends_and_publishes_the_matching(
    client, programme, people, django_capture_on_commit_callbacks
):
    profiles = cohort(programme, 3, 4)
    client.force_login(people["coordinator"])
    client.post(url("run_matching", programme), weights())
    proposed = list(Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED))
    assert len(proposed) == 3
    page = client.get(url("matching", programme)).content.decode()
    assert "Unmatched (1)" in page

    first, second, third = proposed
    client.post(url("swap_pairs", programme), {"first": first.pk, "second": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.locked and second.locked
    swapped = {(first.senior_id, first.junior_id), (second.senior_id, second.junior_id)}

    client.post(url("forbid_pair", programme, third.pk))
    assert NeverPair.objects.filter(senior=third.senior, junior=third.junior).exists()
    client.post(url("run_matching", programme), weights())
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
    partnership = absolute_url(url("my_pair", programme))
    assert partnership in to_senior.body
    assert f'href="{partnership}"' in to_senior.alternatives[0][0]
    assert PairEvent.objects.filter(pair=pair, status=PairStatus.ACTIVE).exists()

    client.force_login(pair.senior.user)
    page = client.get(url("my_pair", programme)).content.decode()
    assert pair.junior.full_name in page
    assert profiles


def confirm_publishing(client, programme):
    """Open the confirmation page and confirm what it shows."""
    page = client.get(url("publish", programme)).content.decode()
    key = re.search(r'name="proposal" value="([^"]*)"', page).group(1)
    return client.post(url("publish", programme), {"confirm": "publish", "proposal": key})


@pytest.mark.django_db
def test_publishing_says_what_it_will_do_and_happens_only_when_confirmed(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    cohort(programme, 2, 2)
    matching_run(programme=programme)
    client.force_login(coordinator)
    matching_page = client.get(url("matching", programme)).content.decode()
    assert f'href="{url("publish", programme)}"' in matching_page
    page = client.get(url("publish", programme)).content.decode()
    assert "2 pairs will be published and 4 people e-mailed an introduction." in page
    assert len(re.findall('data-testid="pair-to-publish"', page)) == 2

    delivered().clear()
    with django_capture_on_commit_callbacks(execute=True):
        unconfirmed = client.post(url("publish", programme), {})
        old_page = client.post(url("matching", programme), {"publish": "1"})
        stale = client.post(url("publish", programme), {"confirm": "publish", "proposal": "1:2:3"})
    assert unconfirmed.status_code == 400
    assert "Nothing was published: confirm with the button below." in unconfirmed.content.decode()
    assert old_page.status_code == 405  # the matching page itself takes no post
    assert stale.status_code == 400 and "changed after this page was opened" in (
        stale.content.decode()
    )
    assert not Pair.objects.filter(status=PairStatus.ACTIVE).exists() and delivered() == []

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm_publishing(client, programme)
    assert done.status_code == 302 and done.url == url("pairs", programme)
    assert Pair.objects.filter(programme=programme, status=PairStatus.ACTIVE).count() == 2
    assert len(delivered()) == 4


@pytest.mark.django_db
def test_publishing_waits_for_partners_who_have_not_joined_and_says_who(
    client, programme, coordinator, django_capture_on_commit_callbacks
):
    senior = cohort(programme, 1, 0)[0]
    cohort_import(
        programme=programme,
        data=(HEADER + "Ann Invited,ann@x.test,junior,,3,\n").encode(),
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
    assert "Not joined yet" in client.get(url("matching", programme)).content.decode()
    page = client.get(url("publish", programme)).content.decode()
    assert refusal in page and "ann@x.test" in page
    assert 'name="confirm"' not in page

    delivered().clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("publish", programme), {"confirm": "publish", "proposal": ""})
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
    boss, report = cohort(programme, 1, 1)
    report.line_manager_email = boss.email
    report.save()
    result = matching_run(programme=programme)
    assert result.pairs == ()
    assert not Pair.objects.filter(programme=programme).exists()


@pytest.mark.django_db
def test_a_person_is_in_at_most_one_active_pair_and_a_pair_keeps_its_history(
    programme, coordinator
):
    senior, junior, other = cohort(programme, 1, 2)
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
def test_colleagues_apply_through_the_link_the_coordinator_opens(client, programme, people):
    client.force_login(people["coordinator"])
    client.post(url("open_applications", programme))
    page = client.get(url("candidates", programme)).content.decode()
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
    client.post(url("close_applications", programme))
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
    senior = cohort(programme, 1, 0)[0]
    selection_note_add(
        profile=senior, author=people["coordinator"], text="Private view", red_flag="reluctant"
    )
    client.force_login(people["steering"])
    assert client.get(url("review", programme)).status_code == 403
    ProgrammeMember.objects.filter(user=people["steering"]).update(reviews_candidates=True)
    page = client.get(url("review", programme)).content.decode()
    assert f"One-pager of {senior.full_name}" in page
    assert "Private view" not in page and "Reluctant" not in page
    assert client.get(url("candidate", programme, senior.pk)).status_code == 403


@pytest.mark.django_db
def test_the_coordinator_ends_a_pair_early_and_it_keeps_its_history(client, programme, people):
    cohort(programme, 1, 1)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=people["coordinator"])
    pair = Pair.objects.get(programme=programme)
    client.force_login(people["coordinator"])
    client.post(
        url("set_pair_status", programme, pair.pk), {"status": "ended_early", "note": "Moved away"}
    )
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED_EARLY
    page = client.get(url("pair", programme, pair.pk)).content.decode()
    assert "Ended early" in page and "Moved away" in page and "Published" in page
    again = client.post(url("set_pair_status", programme, pair.pk), {"status": "completed"})
    assert again.status_code == 400
    assert "cannot become completed" in again.content.decode()
    client.force_login(people["org_admin"])
    assert client.get(url("pair", programme, pair.pk)).status_code == 403


@pytest.mark.parametrize("view", ["my_profile", "my_pair"])
@pytest.mark.django_db
def test_profile_and_partner_pages_are_for_participants(client, programme, people, view):
    participant_add(programme=programme, user=people["junior"], side=Side.JUNIOR)
    for who in ["coordinator", "org_admin", "steering", "supervisor", "executive", "no_role"]:
        client.force_login(people[who])
        assert client.get(url(view, programme)).status_code == 403, who
    client.force_login(people["junior"])
    assert client.get(url(view, programme)).status_code == 200


@pytest.mark.django_db
def test_someone_deselected_after_matching_is_not_published(programme, coordinator):
    senior, junior = cohort(programme, 1, 1)
    matching_run(programme=programme)
    decision_record(profile=junior, decision=Decision.NOT_SELECTED, subject="No", body="No")
    assert not Pair.objects.filter(programme=programme).exists()
    with pytest.raises(PairsError):
        matching_publish(programme=programme, by=coordinator)
    assert senior


@pytest.mark.django_db
def test_a_pair_ended_early_is_never_proposed_again(programme, coordinator):
    cohort(programme, 1, 1)
    matching_run(programme=programme)
    matching_publish(programme=programme, by=coordinator)
    pair = Pair.objects.get(programme=programme)
    pair_status_set(pair=pair, status=PairStatus.ENDED_EARLY, by=coordinator)
    result = matching_run(programme=programme)
    assert result.pairs == ()


@pytest.mark.django_db
def test_only_the_coordinator_chooses_who_reviews_candidates(client, programme, people):
    member = ProgrammeMember.objects.get(user=people["steering"], role=Role.STEERING)
    target = reverse(
        "programmes:steering_member", args=[programme.organisation.slug, programme.pk, member.pk]
    )
    data = {f"m{member.pk}-stakeholder_group": "HR", f"m{member.pk}-reviews_candidates": "on"}
    client.force_login(people["org_admin"])
    client.post(target, data)
    member.refresh_from_db()
    assert (member.stakeholder_group, member.reviews_candidates) == ("HR", False)
    client.force_login(people["coordinator"])
    client.post(target, data)
    member.refresh_from_db()
    assert member.reviews_candidates


@pytest.mark.django_db
def test_an_invited_persons_profile_becomes_theirs_however_they_join(programme, coordinator):
    cohort_import(
        programme=programme,
        data=(HEADER + "Ann,ann@x.test,junior,,,\n").encode(),
        invited_by=coordinator,
    )
    ann = factories.member(programme.organisation, email="ann@x.test")
    participant_add(programme=programme, user=ann, side=Side.JUNIOR)
    assert Profile.objects.get(email="ann@x.test").user == ann

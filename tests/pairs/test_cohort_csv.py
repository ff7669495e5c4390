"""Importing the cohort from a spreadsheet: what it brings in, and every way a file can be
wrong, said by line."""

import csv
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisations.models import Invitation
from organisations.roles import Role, Side
from organisations.services import invitation_accept
from pairs import cohort_csv
from pairs.models import Profile
from pairs.services import cohort_import, participant_add
from programmes.models import ProgrammeMember

from .. import factories
from ..factories import COHORT_CSV_HEADER as HEADER
from ..mailbox import delivered
from ..urls import programme_url


def upload(client, programme, content: bytes):
    return client.post(
        programme_url("pairs:candidates", programme),
        {"file": SimpleUploadedFile("cohort.csv", content, content_type="text/csv")},
    )


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
        client,
        programme,
        (HEADER + "Bo,bo@x.test,senior,,,\nAda,ada@x.test,junior,,,\n").encode(),
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

"""Whatever is posted to the pairs pages, a person (or a scanner) gets a clear answer: 400 with
the page and a message, 404 for an id that is not one, never a server error."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pairs.models import Agreement, LearningGoal, Pair, PairStatus, Profile, SelectionNote
from pairs.services import (
    application_link_set,
    concern_raise,
    decision_record,
    matching_run,
    pair_steward_set,
    participant_add,
)
from pairs.views.common import NOT_UNDERSTOOD

from . import factories
from .test_relationships import log, publish_pair, url


@pytest.fixture
def pair(programme, people):
    return publish_pair(programme, people["senior"], people["junior"], people["coordinator"])


def refused(response) -> str:
    """The page came back, saying why nothing happened."""
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_UNDERSTOOD in page
    return page


@pytest.mark.parametrize("data", [{}, {"action": "delete_everything"}, {"action": ""}])
@pytest.mark.django_db
def test_the_coordinators_pair_page_refuses_a_post_without_a_known_action(
    client, pair, people, data
):
    client.force_login(people["coordinator"])
    page = refused(client.post(url("pair", pair.programme, pair.pk), data))
    assert pair.senior.full_name in page  # the page itself, re-rendered
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE


@pytest.mark.parametrize("data", [{}, {"action": "bogus"}])
@pytest.mark.django_db
def test_the_partnership_page_refuses_a_post_without_a_known_action(client, pair, people, data):
    client.force_login(people["senior"])
    page = refused(client.post(url("my_pair", pair.programme), data))
    assert pair.junior.full_name in page


@pytest.mark.django_db
def test_the_selection_pages_refuse_a_post_that_asks_for_nothing(client, pair, people):
    client.force_login(people["coordinator"])
    refused(client.post(url("matching", pair.programme), {}))
    refused(client.post(url("candidate", pair.programme, pair.senior.pk), {}))
    client.force_login(people["junior"])
    refused(client.post(url("my_profile", pair.programme), {"full_name": "Changed"}))
    assert Profile.objects.get(pk=pair.junior.pk).full_name != "Changed"


@pytest.mark.django_db
def test_a_proposal_or_the_application_link_changes_only_when_asked_to(client, programme, people):
    publish_pair(programme, people["senior"], people["junior"], people["coordinator"])
    senior = factories.programme_person(programme, "participant", "senior")
    junior = factories.programme_person(programme, "participant", "junior")
    for user, side, grade in ((senior, "senior", 9), (junior, "junior", 3)):
        profile = participant_add(programme=programme, user=user, side=side)
        profile.grade = grade
        profile.save()
        decision_record(profile=profile, decision="selected", subject="Yes", body="Yes")
    matching_run(programme=programme)
    proposed = Pair.objects.get(programme=programme, status=PairStatus.PROPOSED)
    Pair.objects.filter(pk=proposed.pk).update(locked=True)
    client.force_login(people["coordinator"])

    response = client.post(url("proposal", programme, proposed.pk), {}, follow=True)
    assert NOT_UNDERSTOOD in response.content.decode()
    assert Pair.objects.get(pk=proposed.pk).locked  # an empty post does not unlock

    client.post(url("applications", programme), {"open": "1"})
    response = client.post(url("applications", programme), {}, follow=True)
    assert NOT_UNDERSTOOD in response.content.decode()
    programme.application_link.refresh_from_db()
    assert programme.application_link.is_open  # an empty post does not close it


@pytest.mark.parametrize(
    ("who", "page", "data"),
    [
        ("coordinator", "pair", {"action": "concern", "concern": "x"}),
        ("coordinator", "pair", {"action": "concern", "concern": "99999"}),
        ("coordinator", "pair", {"action": "concern"}),
        ("senior", "my_pair", {"action": "confirm_agreement", "version": "v1"}),
        ("senior", "my_pair", {"action": "reflection", "meeting": "1; DROP"}),
        ("senior", "my_pair", {"action": "remove_goal", "goal": ""}),
        ("steering", "my_pairs", {"pair": "NaN"}),
    ],
)
@pytest.mark.django_db
def test_a_posted_id_that_is_not_one_is_not_found(client, pair, people, who, page, data):
    pair_steward_set(pair=pair, steering_member=people["steering"])
    Agreement.objects.create(
        pair=pair,
        version=1,
        meeting_frequency="a",
        meeting_place="b",
        confidentiality="c",
        ground_rules="d",
    )
    client.force_login(people[who])
    target = url(page, pair.programme, pair.pk) if page == "pair" else url(page, pair.programme)
    assert client.post(target, data).status_code == 404


LONG = "x" * 10_001


@pytest.mark.django_db
def test_over_long_or_nul_text_on_the_partnership_page_is_refused_next_to_the_field(
    client, pair, people
):
    meeting = log(pair, people["senior"])
    client.force_login(people["senior"])
    target = url("my_pair", pair.programme)
    cases = [
        (
            {"action": "add_goal", "text": "g" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
        ),
        ({"action": "add_goal", "text": "Hear\x00it"}, "Null characters are not allowed."),
        (
            {"action": "reflection", "meeting": meeting.pk, f"r{meeting.pk}-text": LONG},
            "Ensure this value has at most 10000 characters (it has 10001).",
        ),
        (
            {"action": "raise_concern", "text": LONG},
            "Ensure this value has at most 10000 characters (it has 10001).",
        ),
        (
            {
                "action": "log_meeting",
                "date": timezone.localdate().isoformat(),
                "duration_minutes": "60",
                "mode": "virtual",
                "shared_notes": LONG,
            },
            "Ensure this value has at most 10000 characters (it has 10001).",
        ),
        (
            {
                "action": "propose_agreement",
                "meeting_frequency": "f" * 201,
                "meeting_place": "Online",
                "confidentiality": "Ours",
                "ground_rules": "Equals",
            },
            "Ensure this value has at most 200 characters (it has 201).",
        ),
    ]
    for data, message in cases:
        response = client.post(target, data)
        assert response.status_code == 400, data["action"]
        assert message in response.content.decode(), data["action"]
    assert not LearningGoal.objects.exists()
    assert not pair.concerns.exists() and not Agreement.objects.exists()
    assert pair.meetings.count() == 1


@pytest.mark.django_db
def test_over_long_text_on_the_coordinators_and_the_participants_forms_is_refused(
    client, pair, people
):
    client.force_login(people["coordinator"])
    response = client.post(
        url("pair", pair.programme, pair.pk),
        {"action": "status", "status": "completed", "note": "n" * 301},
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 300 characters (it has 301)." in response.content.decode()
    response = client.post(
        url("candidate", pair.programme, pair.senior.pk), {"add_note": "1", "text": LONG}
    )
    assert response.status_code == 400
    assert "at most 10000 characters" in response.content.decode()
    assert not SelectionNote.objects.exists()

    client.force_login(people["junior"])
    response = client.post(
        url("my_profile", pair.programme),
        {"save_profile": "1", "full_name": "N" * 151, "meeting_preference": "either"},
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 150 characters (it has 151)." in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
FIELD = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.S)


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else None


def posted_forms(page: str, default: str) -> list[tuple[str, dict[str, str], set[str]]]:
    """Every POST form on a page: where it goes, what it sends as the page shows it, and which
    of its fields a person types or chooses."""
    forms = []
    for attrs, inner in FORM.findall(page):
        if (attribute(attrs, "method") or "get").lower() != "post":
            continue
        data, typed = {}, set()
        for kind, tag in FIELD.findall(inner):
            name = attribute(tag, "name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            data[name] = attribute(tag, "value") or ""
            if kind != "button" and attribute(tag, "type") != "hidden":
                typed.add(name)
        forms.append((attribute(attrs, "action") or default, data, typed))
    return forms


@pytest.mark.django_db
def test_no_form_on_the_pairs_pages_fails_with_a_server_error_whatever_it_is_sent(
    client, pair, people
):
    """Each form the pairs pages show, sent with NUL bytes, very long text, or ids that are not
    ids, is answered, never with a 500 (the test client raises if a view fails)."""
    programme = pair.programme
    pair_steward_set(pair=pair, steering_member=people["steering"])
    meeting = log(pair, people["senior"])
    concern_raise(pair=pair, by=people["junior"], text="A worry")
    link = application_link_set(programme=programme, is_open=True)
    pages = {
        "coordinator": [
            url("pair", programme, pair.pk),
            url("candidate", programme, pair.senior.pk),
            url("candidates", programme),
            url("matching", programme),
        ],
        "senior": [url("my_pair", programme), url("my_profile", programme)],
        "steering": [url("my_pairs", programme)],
        "no_role": [reverse("apply", args=[programme.organisation.slug, link.token])],
    }
    sent = 0
    for who, targets in pages.items():
        client.force_login(people[who])
        for target in targets:
            for action, data, typed in posted_forms(client.get(target).content.decode(), target):
                for bad in ("\x00", "x" * 20_000, "12\x00", "-1"):
                    variants = [
                        {**data, **{name: bad for name in typed}},
                        {name: bad for name in data},
                    ]
                    for variant in variants:
                        response = client.post(action, variant)
                        assert response.status_code < 500, (who, action, variant.keys())
                        sent += 1
    assert meeting and sent > 100

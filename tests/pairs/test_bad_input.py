"""Whatever is posted to the pairs pages, a person (or a scanner) gets a clear answer: 400 with
the page and a message, 404 for an id that is not one, never a server error.

tests/test_bad_input.py posts hostile values to every form the demo shows; these tests
check what it cannot: the exact refusals, the ids that are not found, the forms the demo
never shows (the application form, proposals) and text past the fields' limits."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pairs.models import Agreement, LearningGoal, NeverPair, Pair, PairStatus, SelectionNote
from pairs.services import (
    application_link_set,
    concern_raise,
    decision_record,
    matching_run,
    pair_steward_set,
    participant_add,
)

from .. import factories
from ..factories import log_meeting, publish_pair
from ..urls import programme_url


@pytest.fixture
def pair(programme, people):
    return publish_pair(programme, people["senior"], people["junior"], people["coordinator"])


PAGES = [
    ("coordinator", "pair"),
    ("coordinator", "matching"),
    ("coordinator", "candidate"),
    ("senior", "my_pair"),
    ("senior", "my_profile"),
    ("steering", "my_pairs"),
]


def page_url(name: str, pair) -> str:
    if name == "pair":
        return programme_url(f"pairs:{name}", pair.programme, pair.pk)
    if name == "candidate":
        return programme_url(f"pairs:{name}", pair.programme, pair.senior.pk)
    return programme_url(f"pairs:{name}", pair.programme)


@pytest.mark.parametrize(("who", "page"), PAGES)
@pytest.mark.parametrize("data", [{}, {"action": "delete_everything"}, {"status": "ended_early"}])
@pytest.mark.django_db
def test_a_page_takes_no_post_each_of_its_forms_posts_to_its_own_address(
    client, pair, people, who, page, data
):
    pair_steward_set(pair=pair, steering_member=people["steering"])
    client.force_login(people[who])
    target = page_url(page, pair)
    assert client.post(target, data).status_code == 405
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    for action, _, _ in posted_forms(client.get(target).content.decode(), target):
        assert action != target, (page, "a form posts to the page itself")


@pytest.mark.django_db
def test_each_proposal_and_application_link_address_does_only_what_it_says(
    client, programme, people
):
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
    client.force_login(people["coordinator"])

    client.post(programme_url("pairs:lock_pair", programme, proposed.pk), {"forbid": "1"})
    proposed.refresh_from_db()
    assert proposed.locked and not NeverPair.objects.exists()
    client.post(programme_url("pairs:unlock_pair", programme, proposed.pk))
    proposed.refresh_from_db()
    assert not proposed.locked
    active = Pair.objects.get(programme=programme, status=PairStatus.ACTIVE)
    response = client.post(programme_url("pairs:lock_pair", programme, active.pk), follow=True)
    assert "Only proposed pairs can be changed" in response.content.decode()
    assert client.post(programme_url("pairs:lock_pair", programme, 99999)).status_code == 404

    client.post(programme_url("pairs:open_applications", programme), {"close": "1"})
    programme.application_link.refresh_from_db()
    assert programme.application_link.is_open
    client.post(programme_url("pairs:close_applications", programme), {"open": "1"})
    programme.application_link.refresh_from_db()
    assert not programme.application_link.is_open


@pytest.mark.parametrize(
    ("who", "name", "ids"),
    [
        ("coordinator", "act_on_concern", ["pair", 99999]),
        ("coordinator", "set_pair_status", [99999]),
        ("senior", "confirm_agreement", [2]),
        ("senior", "save_reflection", [99999]),
        ("senior", "send_pulse", [99999]),
        ("senior", "remove_goal", [99999]),
        ("steering", "log_checkin", [99999]),
    ],
)
@pytest.mark.django_db
def test_an_id_in_the_address_that_is_not_one_of_the_pairs_is_not_found(
    client, pair, people, who, name, ids
):
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
    target = programme_url(
        f"pairs:{name}", pair.programme, *(pair.pk if i == "pair" else i for i in ids)
    )
    assert client.post(target, {}).status_code == 404
    assert (
        client.post(
            programme_url("pairs:my_pair", pair.programme) + "meetings/1%3B%20DROP/pulse/"
        ).status_code
        == 404
    )


LONG = "x" * 10_001


@pytest.mark.django_db
def test_over_long_or_nul_text_on_the_partnership_page_is_refused_next_to_the_field(
    client, pair, people
):
    meeting = log_meeting(pair, people["senior"])
    client.force_login(people["senior"])
    cases = [
        (
            "add_goal",
            {"text": "g" * 301},
            "Ensure this value has at most 300 characters (it has 301).",
        ),
        ("add_goal", {"text": "Hear\x00it"}, "Null characters are not allowed."),
        (
            "save_reflection",
            {f"r{meeting.pk}-text": LONG},
            "Ensure this value has at most 10000 characters (it has 10001).",
        ),
        (
            "raise_concern",
            {"text": LONG},
            "Ensure this value has at most 10000 characters (it has 10001).",
        ),
        (
            "log_meeting",
            {
                "date": timezone.localdate().isoformat(),
                "duration_minutes": "60",
                "mode": "virtual",
                "shared_notes": LONG,
            },
            "Ensure this value has at most 10000 characters (it has 10001).",
        ),
        (
            "propose_agreement",
            {
                "meeting_frequency": "f" * 201,
                "meeting_place": "Online",
                "confidentiality": "Ours",
                "ground_rules": "Equals",
            },
            "Ensure this value has at most 200 characters (it has 201).",
        ),
    ]
    for name, data, message in cases:
        args = [meeting.pk] if name == "save_reflection" else []
        response = client.post(programme_url(f"pairs:{name}", pair.programme, *args), data)
        assert response.status_code == 400, name
        page = response.content.decode()
        assert message in page, name
        assert pair.junior.full_name in page, name  # the partnership page, with the form
    assert not LearningGoal.objects.exists()
    assert not pair.concerns.exists() and not Agreement.objects.exists()
    assert pair.meetings.count() == 1


@pytest.mark.django_db
def test_over_long_text_on_the_coordinators_and_the_participants_forms_is_refused(
    client, pair, people
):
    client.force_login(people["coordinator"])
    response = client.post(
        programme_url("pairs:set_pair_status", pair.programme, pair.pk),
        {"status": "completed", "note": "n" * 301},
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 300 characters (it has 301)." in response.content.decode()
    response = client.post(
        programme_url("pairs:add_note", pair.programme, pair.senior.pk), {"text": LONG}
    )
    assert response.status_code == 400
    assert "at most 10000 characters" in response.content.decode()
    assert not SelectionNote.objects.exists()

    client.force_login(people["junior"])
    response = client.post(
        programme_url("pairs:save_profile", pair.programme),
        {"full_name": "N" * 151, "meeting_preference": "either"},
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
    of its fields a person types or chooses. A button with its own `formaction` sends the form
    there: that is one more form."""
    forms = []
    for attrs, inner in FORM.findall(page):
        if (attribute(attrs, "method") or "get").lower() != "post":
            continue
        data, typed, actions = {}, set(), [attribute(attrs, "action") or default]
        for kind, tag in FIELD.findall(inner):
            if kind == "button" and attribute(tag, "formaction"):
                actions.append(attribute(tag, "formaction"))
            name = attribute(tag, "name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            data[name] = attribute(tag, "value") or ""
            if kind != "button" and attribute(tag, "type") != "hidden":
                typed.add(name)
        forms.extend((action, data, typed) for action in actions)
    return forms


@pytest.mark.django_db
def test_no_form_on_the_pairs_pages_fails_with_a_server_error_whatever_it_is_sent(
    client, pair, people
):
    """Each form the pairs pages show, sent with NUL bytes, very long text, or ids that are not
    ids, is answered, never with a 500 (the test client raises if a view fails)."""
    programme = pair.programme
    pair_steward_set(pair=pair, steering_member=people["steering"])
    meeting = log_meeting(pair, people["senior"])
    concern_raise(pair=pair, by=people["junior"], text="A worry")
    link = application_link_set(programme=programme, is_open=True)
    pages = {
        "coordinator": [
            programme_url("pairs:pair", programme, pair.pk),
            programme_url("pairs:candidate", programme, pair.senior.pk),
            programme_url("pairs:candidates", programme),
            programme_url("pairs:matching", programme),
        ],
        "senior": [
            programme_url("pairs:my_pair", programme),
            programme_url("pairs:my_profile", programme),
        ],
        "steering": [programme_url("pairs:my_pairs", programme)],
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

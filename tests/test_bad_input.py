"""No server error from bad input: every form every role can reach, posted with hostile values.

A crawler signs in as each demo role, follows the links of the organisation's pages and collects
every form it finds; then each form is posted with overlong, NUL, unicode, negative, huge and
impossible-date values, and with its fields missing. Nothing may answer 500. The URL resolver
checks the crawl: every tenant URL that takes a POST must have been reached by some form.
"""

import io
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from demo.management.commands.seed_demo import ORG_SLUG

from .urls import tenant_patterns

ROLES = ["admin", "coordinator", "steering", "senior", "junior", "supervisor", "executive"]
PASSWORD = "demo-pass-2026"
MAX_PAGES_PER_ROLE = 200
PAGES_PER_KIND = 3
SKIP_LINKS = ("download", ".pdf", ".csv", ".ics", "/accounts/logout")
HOSTILE = {
    "overlong": "x" * 10_000,
    "nul": "Ada\x00Lovelace",
    "unicode": "Zoë Ñandú 🚀 مرحبا \u202e\U0001f9d1\u200d\U0001f4bb",
    "negative": "-1",
    "huge": "9" * 30,
    "impossible_date": "2026-02-31",
}
TEXT_TYPES = {
    "text",
    "textarea",
    "email",
    "url",
    "number",
    "date",
    "time",
    "datetime-local",
    "search",
    "hidden",
    "password",
    "tel",
    "select",
    "radio",
    "checkbox",
}
# Forms the demo gives no link to: no application link is shared, no proposal is waiting, no
# survey is open; its partners have confirmed their agreement, answered every pulse and
# acknowledged the ethics statement; no stage has dates set by hand; no referral waits for a
# supervisor to be chosen, none is the coordinator's to conclude and none recommends ending a pair
# (tests/supervision posts to those); no systemic issue is closed (tests/themes reopens one); the
# demo organisation has no identity provider to remove (its people sign in with passwords;
# tests/organisations/test_sign_in.py removes one).
NOT_LINKED = {
    "single_sign_on_remove",
    "apply",
    "pairs:close_applications",
    "pairs:lock_pair",
    "pairs:unlock_pair",
    "pairs:forbid_pair",
    "pairs:swap_pairs",
    "pairs:publish",
    "pairs:confirm_agreement",
    "pairs:send_pulse",
    "programmes:ethics_acknowledge",
    "programmes:stage_dates_follow",
    "surveys:respond",
    "supervision:assign",
    "supervision:conclude",
    "supervision:end_pair",
    "themes:issue_reopen",
}


@dataclass
class Field:
    kind: str
    name: str
    value: str = ""


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    multipart: bool = False
    # Buttons that send the form elsewhere (`formaction`): (where, name, value).
    elsewhere: list[tuple[str, str, str]] = field(default_factory=list)


class PageParser(HTMLParser):
    """The links, the POST forms and the element ids of one page."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.ids: Counter[str] = Counter()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form" and a.get("method", "get").lower() == "post":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = Form(action, multipart="multipart" in a.get("enctype", ""))
        elif self._form is None:
            return
        elif tag == "button" and a.get("type", "submit") == "submit" and a.get("formaction"):
            where = urljoin(self.url, a["formaction"])
            self._form.elsewhere.append((where, a.get("name", ""), a.get("value", "")))
        elif not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self._form.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.append(Field(kind, a["name"], ""))
            else:
                self._form.fields.append(Field(kind, a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._form.fields.append(Field("textarea", a["name"]))
        elif tag == "select":
            self._select = Field("select", a["name"])
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None and not self._select.value:
            self._select.value = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            for where, name, value in self._form.elsewhere:
                buttons = [(name, value)] if name else []
                self.forms.append(
                    Form(where, self._form.fields, buttons, multipart=self._form.multipart)
                )
            self._form = None
        elif tag == "select":
            self._select = None


def crawl(
    client: Client, start: str, repeated_ids: dict[str, list[str]] | None = None
) -> dict[tuple[str, str], Form]:
    """Every POST form reachable by links from `start`, once per (URL name, fields). A few pages
    of each kind are enough (stage 3's page has the forms stage 4's has); the query string is a
    filter, the same page again. Pages that give two elements one id go in `repeated_ids`."""
    seen, queue = {start}, deque([start])
    per_kind: dict[str, int] = {}
    forms: dict[tuple[str, str], Form] = {}
    while queue and len(seen) <= MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser(url)
        parser.feed(response.content.decode())
        if repeated_ids is not None and (twice := [i for i, n in parser.ids.items() if n > 1]):
            repeated_ids[url] = twice
        for form in parser.forms:
            name = _url_name(form.action)
            if name:
                # One of each kind: the edit form of task 12 and of task 13 are the same form.
                signature = ",".join(sorted(re.sub(r"\d+", "#", f.name) for f in form.fields))
                forms.setdefault((name, signature), form)
        for link in parser.links:
            path = urlsplit(link)._replace(fragment="").geturl()
            if path.startswith("http://testserver"):
                path = path.removeprefix("http://testserver")
            kind = _url_name(path.split("?")[0])
            if (
                path.startswith(f"/o/{ORG_SLUG}/")
                and not any(skip in path for skip in SKIP_LINKS)
                and path not in seen
                and per_kind.get(kind, 0) < PAGES_PER_KIND
            ):
                seen.add(path)
                per_kind[kind] = per_kind.get(kind, 0) + 1
                queue.append(path)
    return forms


def _url_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return ""


def hostile_posts(form: Form) -> list[tuple[str, dict[str, object]]]:
    """The form as the page fills it, with every field hostile; once per submit button."""
    buttons = form.buttons or [("", "")]
    posts = []
    for label, value in HOSTILE.items():
        for button, button_value in buttons:
            data: dict[str, object] = {
                f.name: value for f in form.fields if f.name != "csrfmiddlewaretoken"
            }
            for f in form.fields:
                if f.kind == "file":
                    data[f.name] = SimpleUploadedFile(
                        ("n" * 300 if label == "overlong" else value.replace("/", "")) + ".pdf",
                        b"%PDF-1.4 " + value.encode(),
                        content_type="application/pdf",
                    )
            if button:
                data[button] = button_value
            posts.append((f"{label}/{button or 'submit'}", data))
    bare = {button: button_value for button, button_value in buttons[:1] if button}
    posts.append(("missing", bare))
    return posts


@pytest.mark.django_db
def test_no_form_of_any_role_answers_500_to_hostile_input():
    call_command("seed_demo", stdout=io.StringIO())
    # Each form once, posted by the first role that reaches it: the same form of the same view
    # reads its input the same way whoever sends it.
    forms: dict[tuple[str, str], tuple[str, Client, Form]] = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        assert client.login(email=f"{role}@example.org", password=PASSWORD), role
        for key, form in crawl(client, f"/o/{ORG_SLUG}/").items():
            forms.setdefault(key, (role, client, form))
    failures: list[str] = []
    for (name, _), (role, client, form) in sorted(forms.items()):
        for label, data in hostile_posts(form):
            response = client.post(form.action, data)
            if response.status_code >= 500:
                error = response.exc_info[1] if response.exc_info else "?"
                failures.append(f"{role} {name} {label}: {type(error).__name__}: {error}")
    takes_post = {name for _, name, pattern in tenant_patterns() if accepts_post(pattern.callback)}
    unreached = takes_post - {name for name, _ in forms} - NOT_LINKED
    assert not failures, "\n".join(sorted(set(failures))[:60])
    assert not unreached, f"forms the crawl never reached: {sorted(unreached)}"


@pytest.mark.django_db
def test_no_page_of_any_role_gives_two_elements_one_id():
    """Two forms on a page with a field of the same name would share an id: a label would
    then name the other form's field, and a screen reader or a click would land there."""
    call_command("seed_demo", stdout=io.StringIO())
    repeated: dict[str, list[str]] = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        assert client.login(email=f"{role}@example.org", password=PASSWORD), role
        crawl(client, f"/o/{ORG_SLUG}/", repeated)
    assert not repeated, "\n".join(f"{url}: {ids}" for url, ids in sorted(repeated.items()))


def accepts_post(view: object) -> bool:
    """Whether a view takes POST, as its `requires` declares (a method without a permission
    is not taken)."""
    return bool(getattr(view, "required_permissions", {}).get("POST"))

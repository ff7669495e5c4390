"""Every page: a strict Content-Security-Policy, nothing from a CDN, an accessible layout,
assets served from our own origin."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> found"
    assert not re.search(r"\sstyle=\"", html), "inline style attribute found"


def test_templates_load_nothing_from_a_cdn():
    for template in (BASE / "templates").rglob("*.html"):
        if "emails" in template.parts:
            continue
        text = template.read_text()
        assert not re.search(r"(src|href)=\"https?://", text), template


@pytest.mark.django_db
def test_base_layout_is_accessible(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<nav" in html and "<main" in html and "<footer" in html
    assert '<html lang="en">' in html
    for field_id in re.findall(r'<input[^>]+id="([^"]+)"', html):
        assert f'for="{field_id}"' in html, f"input {field_id} has no label"


@pytest.mark.django_db
def test_static_assets_are_served_from_our_own_origin(client, live_server):
    import urllib.request

    for path in ["vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "css/app.css"]:
        with urllib.request.urlopen(f"{live_server.url}/static/{path}") as response:
            assert response.status == 200

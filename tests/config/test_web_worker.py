"""A web worker imports nothing that only the worker needs: numpy and scipy (matching and the
surveys' intervals), scikit-learn (grouping themes) and WeasyPrint (the PDF reports) load where
that work runs, never when a web process starts and loads its URLs. Nor what only a few requests
need: SAML's libraries, and the passkeys' fido2 and cryptography's x509, load on first use."""

import importlib.util
import json
import os

import pytest
from django.urls import URLResolver

from ..workers import run_python

WORKER_ONLY = ["numpy", "scipy", "sklearn", "weasyprint"]
# Passkeys' fido2 with cryptography's compiled bindings, and the certificates of single sign-on's
# form: some 12 MiB a worker. cryptography itself is imported (by redis), but not these.
PASSKEYS_ONLY = {"fido2", "cryptography.hazmat.bindings._rust"}
CERTIFICATES_ONLY = {"cryptography.x509"}
# What a health-check library brought: a DNS resolver and an SMTP client (no web request talks to
# SMTP; the worker sends the outbox).
NEVER_IN_A_WEB_WORKER = {"dns", "smtplib", "health_check"}
LOAD_THE_URLS = """
import json, sys
import django
django.setup()
import config.urls
from django.urls import get_resolver
get_resolver().reverse_dict  # every view module the URLs name, loaded
print("LOADED " + json.dumps(sorted(sys.modules)))
"""


def tops(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def loaded_by_a_web_process(settings_module: str) -> set[str]:
    """The modules (full names) a fresh web process has once it has loaded its URLs."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_SECRET_KEY": "a-web-worker-test-secret-key-long-enough-0123456789",
        "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
        "DATABASE_URL": "postgres://u:p@db.example.org:5432/mentoring",
        "REDIS_URL": "redis://redis.example.org:6379/0",
    }
    result = run_python(LOAD_THE_URLS, env)
    line = next((text for text in result.stdout.splitlines() if text.startswith("LOADED ")), "")
    assert line, result.stdout[-2000:] + result.stderr[-4000:]
    return set(json.loads(line.removeprefix("LOADED ")))


@pytest.mark.parametrize("settings_module", ["config.settings.production", "config.settings.local"])
def test_loading_the_urls_imports_no_library_only_the_worker_needs(settings_module):
    assert tops(loaded_by_a_web_process(settings_module)) & set(WORKER_ONLY) == set()


def test_loading_the_urls_imports_no_dns_resolver_nor_smtp_client():
    loaded = tops(loaded_by_a_web_process("config.settings.production"))
    assert loaded & NEVER_IN_A_WEB_WORKER == set()


def test_loading_the_urls_imports_no_passkey_or_certificate_library():
    first_use_only = PASSKEYS_ONLY | CERTIFICATES_ONLY
    assert loaded_by_a_web_process("config.settings.production") & first_use_only == set()
    assert all(importlib.util.find_spec(name) for name in first_use_only)


def test_the_matching_engine_brings_numpy_and_scipy_once_it_is_used():
    """The other side of the check above, so it cannot pass by looking for the wrong names:
    the engine loads them the first time matching runs, and the rest are installed by these
    names."""
    script = LOAD_THE_URLS.replace(
        "import config.urls", "import config.urls\nfrom pairs import engine\nengine.match"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    result = run_python(script, env)
    assert result.returncode == 0, result.stderr[-4000:]
    assert {"numpy", "scipy"} <= tops(set(json.loads(result.stdout.split("LOADED ", 1)[1])))
    assert all(importlib.util.find_spec(name) for name in WORKER_ONLY)


def test_saml_sign_in_libraries_load_only_when_a_saml_address_is_asked_for():
    """python3-saml, xmlsec and lxml are about 15 MiB a worker; the SAML views load on demand."""
    saml_only = {"onelogin", "xmlsec", "lxml"}
    assert tops(loaded_by_a_web_process("config.settings.production")) & saml_only == set()
    assert saml_only <= tops(loaded_once_asked_for("/accounts/saml/acme/metadata/"))


def loaded_once_asked_for(path: str) -> set[str]:
    """The modules a fresh web process holds once the view of `path` has been looked up."""
    script = LOAD_THE_URLS.replace(
        "import config.urls",
        f"import config.urls\nfrom django.urls import resolve\nresolve({path!r}).func.view",
    )
    result = run_python(script, {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.returncode == 0, result.stderr[-4000:]
    return set(json.loads(result.stdout.split("LOADED ", 1)[1]))


def test_the_passkey_libraries_load_once_a_two_factor_address_is_asked_for():
    """The other side of the check above, so it cannot pass by looking for the wrong names."""
    assert loaded_once_asked_for("/accounts/2fa/webauthn/add/") >= PASSKEYS_ONLY


def named_views(patterns, prefix: str = "") -> dict[str, tuple[str, object]]:
    """Each named address under `patterns`: its whole route and its view."""
    found = {}
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= named_views(pattern.url_patterns, route)
        elif pattern.name:
            found[pattern.name] = (route, pattern.callback)
    return found


def lazy_and_real_patterns():
    from allauth.mfa import urls as allauth_mfa_urls
    from allauth.socialaccount.providers.saml import urls as allauth_saml_urls

    from config.lazy_views import MFA_URLPATTERNS, SAML_URLPATTERNS

    return [
        pytest.param(SAML_URLPATTERNS, allauth_saml_urls.urlpatterns, id="saml"),
        pytest.param(MFA_URLPATTERNS, allauth_mfa_urls.urlpatterns, id="two-factor"),
    ]


@pytest.mark.parametrize(("lazy_patterns", "real_patterns"), lazy_and_real_patterns())
def test_the_lazy_views_have_allauths_addresses_names_and_exemptions(lazy_patterns, real_patterns):
    from config.lazy_views import LazyView

    lazy, real = named_views(lazy_patterns), named_views(real_patterns)
    assert lazy.keys() == real.keys()
    for name, (route, view) in lazy.items():
        real_route, real_view = real[name]
        assert route == real_route, name
        # Absent, each means what Django takes it to mean: not exempt, sign-in required.
        for attribute, absent in (("csrf_exempt", False), ("login_required", True)):
            assert getattr(view, attribute, absent) == getattr(real_view, attribute, absent), (
                name,
                attribute,
            )
        assert (view.view if isinstance(view, LazyView) else view) is real_view, name

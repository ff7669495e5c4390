"""A web worker imports nothing that only the worker needs: numpy and scipy (matching and the
surveys' intervals), scikit-learn (grouping themes) and WeasyPrint (the PDF reports) load where
that work runs, never when a web process starts and loads its URLs."""

import importlib.util
import json
import os

import pytest

from ..workers import run_python

WORKER_ONLY = ["numpy", "scipy", "sklearn", "weasyprint"]
LOAD_THE_URLS = """
import json, sys
import django
django.setup()
import config.urls
from django.urls import get_resolver
get_resolver().reverse_dict  # every view module the URLs name, loaded
print("LOADED " + json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def loaded_by_a_web_process(settings_module: str) -> set[str]:
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
    assert loaded_by_a_web_process(settings_module) & set(WORKER_ONLY) == set()


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
    assert {"numpy", "scipy"} <= set(json.loads(result.stdout.split("LOADED ", 1)[1]))
    assert all(importlib.util.find_spec(name) for name in WORKER_ONLY)


def test_saml_sign_in_libraries_load_only_when_a_saml_address_is_asked_for():
    """python3-saml, xmlsec and lxml are about 15 MiB a worker; the SAML views load on demand."""
    saml_only = {"onelogin", "xmlsec", "lxml"}
    assert loaded_by_a_web_process("config.settings.production") & saml_only == set()
    script = LOAD_THE_URLS.replace(
        "import config.urls",
        "import config.urls\nfrom django.urls import resolve\n"
        "resolve('/accounts/saml/acme/metadata/').func.view",
    )
    result = run_python(script, {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.returncode == 0, result.stderr[-4000:]
    assert saml_only <= set(json.loads(result.stdout.split("LOADED ", 1)[1]))


def test_each_lazy_saml_view_is_exempt_from_what_the_real_view_is_exempt_from():
    from allauth.socialaccount.providers.saml import urls as allauth_saml_urls

    from config.lazy_views import SAML_URLPATTERNS

    def views_by_name(patterns) -> dict:
        (group,) = patterns
        return {pattern.name: pattern.callback for pattern in group.url_patterns}

    lazy, real = views_by_name(SAML_URLPATTERNS), views_by_name(allauth_saml_urls.urlpatterns)
    assert lazy.keys() == real.keys()
    for name, view in lazy.items():
        # Absent, each means what Django takes it to mean: not exempt, sign-in required.
        for attribute, absent in (("csrf_exempt", False), ("login_required", True)):
            assert getattr(view, attribute, absent) == getattr(real[name], attribute, absent), (
                name,
                attribute,
            )
        assert view.view is real[name]
    assert [p.pattern.regex.pattern for p in SAML_URLPATTERNS] == [
        p.pattern.regex.pattern for p in allauth_saml_urls.urlpatterns
    ]

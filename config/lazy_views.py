"""Views imported the first time somebody asks for them.

SAML sign-in needs python3-saml, xmlsec and lxml (about 15 MiB in every web worker that loads
them), yet only the few people whose organisation signs in through SAML ever reach its views.
Passkeys need fido2 and cryptography (about 12 MiB), which allauth's two-factor views import
though only the people who set up or use a second factor reach them. Naming the views by their
dotted path keeps those libraries out of a worker until such a request comes in.
"""

from collections.abc import Callable
from functools import cached_property

from allauth.mfa import app_settings as mfa_settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.utils.module_loading import import_string

View = Callable[..., HttpResponse]


class LazyView:
    """Calls the view at `dotted_path`, imported on the first call. Middleware reads
    `csrf_exempt` and `login_required` before the view runs, so they are given here; a test
    compares them with the real view's."""

    def __init__(
        self, dotted_path: str, *, csrf_exempt: bool = False, login_not_required: bool = False
    ) -> None:
        self.dotted_path = dotted_path
        self.csrf_exempt = csrf_exempt
        if login_not_required:  # what django.contrib.auth.decorators.login_not_required sets
            self.login_required = False

    @cached_property
    def view(self) -> View:
        return import_string(self.dotted_path)

    def __call__(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return self.view(request, *args, **kwargs)


def _saml(name: str, *, csrf_exempt: bool = False) -> LazyView:
    return LazyView(
        f"allauth.socialaccount.providers.saml.views.{name}",
        csrf_exempt=csrf_exempt,
        login_not_required=True,
    )


# The same addresses and names as allauth.socialaccount.providers.saml.urls.
SAML_URLPATTERNS = [
    re_path(
        r"^saml/(?P<organization_slug>[^/]+)/",
        include(
            [
                path("acs/", _saml("acs", csrf_exempt=True), name="saml_acs"),
                path("acs/finish/", _saml("finish_acs"), name="saml_finish_acs"),
                path("sls/", _saml("sls", csrf_exempt=True), name="saml_sls"),
                path("metadata/", _saml("metadata"), name="saml_metadata"),
                path("login/", _saml("login"), name="saml_login"),
            ]
        ),
    )
]


def _mfa(name: str, *, login_not_required: bool = False) -> LazyView:
    return LazyView(f"allauth.mfa.{name}", login_not_required=login_not_required)


def _mfa_urlpatterns() -> list:
    """The same addresses and names as allauth.mfa.urls, under the same settings."""
    webauthn = [
        path("", _mfa("webauthn.views.list_webauthn"), name="mfa_list_webauthn"),
        path("add/", _mfa("webauthn.views.add_webauthn"), name="mfa_add_webauthn"),
        path(
            "reauthenticate/",
            _mfa("webauthn.views.reauthenticate_webauthn"),
            name="mfa_reauthenticate_webauthn",
        ),
        path(
            "keys/<int:pk>/",
            include(
                [
                    path(
                        "remove/",
                        _mfa("webauthn.views.remove_webauthn"),
                        name="mfa_remove_webauthn",
                    ),
                    path("edit/", _mfa("webauthn.views.edit_webauthn"), name="mfa_edit_webauthn"),
                ]
            ),
        ),
    ]
    if mfa_settings.PASSKEY_LOGIN_ENABLED:
        login = _mfa("webauthn.views.login_webauthn", login_not_required=True)
        webauthn.append(path("login/", login, name="mfa_login_webauthn"))
    if mfa_settings.PASSKEY_SIGNUP_ENABLED:
        signup = _mfa("webauthn.views.signup_webauthn", login_not_required=True)
        webauthn.append(path("signup/", signup, name="mfa_signup_webauthn"))
    base = [
        path("", _mfa("base.views.index"), name="mfa_index"),
        path(
            "authenticate/",
            _mfa("base.views.authenticate", login_not_required=True),
            name="mfa_authenticate",
        ),
        path("reauthenticate/", _mfa("base.views.reauthenticate"), name="mfa_reauthenticate"),
    ]
    if mfa_settings._TRUST_STAGE_ENABLED:
        trust = _mfa("base.views.trust", login_not_required=True)
        base.append(path("trust/", trust, name="mfa_trust"))
    patterns = [path("", include(base))]
    if "totp" in mfa_settings.SUPPORTED_TYPES:
        patterns.append(path("totp/", include("allauth.mfa.totp.urls")))
    if "recovery_codes" in mfa_settings.SUPPORTED_TYPES:
        patterns.append(path("recovery-codes/", include("allauth.mfa.recovery_codes.urls")))
    if "webauthn" in mfa_settings.SUPPORTED_TYPES:
        patterns.append(path("webauthn/", include(webauthn)))
    return patterns


MFA_URLPATTERNS = _mfa_urlpatterns()

# allauth.urls with the SAML provider's and the two-factor views made lazy. allauth.urls itself
# imports every provider's views as it builds its list; its deprecated "social/" redirects are
# left out.
ACCOUNT_URLPATTERNS = [
    path("", include("allauth.account.urls")),
    path("2fa/", include(MFA_URLPATTERNS)),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    *SAML_URLPATTERNS,
    path("", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("sessions/", include("allauth.usersessions.urls")),
]

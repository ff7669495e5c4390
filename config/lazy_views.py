"""Views imported the first time somebody asks for them.

SAML sign-in needs python3-saml, xmlsec and lxml (about 15 MiB in every web worker that loads
them), yet only the few people whose organisation signs in through SAML ever reach its views.
Naming the views by their dotted path keeps those libraries out of a worker until a SAML request
comes in.
"""

from collections.abc import Callable
from functools import cached_property

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

# allauth.urls with the SAML provider's views made lazy. allauth.urls itself imports every
# provider's views as it builds its list; its deprecated "social/" redirects are left out.
ACCOUNT_URLPATTERNS = [
    path("", include("allauth.account.urls")),
    path("2fa/", include("allauth.mfa.urls")),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    *SAML_URLPATTERNS,
    path("", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("sessions/", include("allauth.usersessions.urls")),
]

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_scopes import scope, scopes_disabled

from .selectors import memberships_of_request
from .sign_in import owes_second_factor

TENANT_URL_KWARG = "org_slug"
LAST_ORG_COOKIE = "last_org"


class TenantMiddleware:
    """Resolves the organisation from `/o/<org_slug>/...` and runs the view inside its scope.

    Anonymous visitors are sent to sign in; signed-in people who are not members get 404, whether
    or not the organisation exists, so a URL never reveals another organisation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.app_name == "admin":
            # Django's admin is for platform staff only (it checks is_staff itself) and spans
            # every tenant by design.
            with scopes_disabled():
                return self.get_response(request)
        slug = match.kwargs.get(TENANT_URL_KWARG)
        if slug is None:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = next(
            (m for m in memberships_of_request(request) if m.organisation.slug == slug), None
        )
        if membership is None:
            raise Http404("No such organisation.")
        if not request.user.full_name.strip():
            # Everyone has a name: lists, pages and e-mails never fall back on an address.
            return redirect(
                f"{reverse('account_name')}?{urlencode({'next': request.get_full_path()})}"
            )
        if owes_second_factor(membership):
            # The organisation requires a second factor of those who read confidential data.
            messages.warning(
                request,
                f"{membership.organisation.name} asks everyone who can read confidential data "
                f"to sign in with a second factor. Set up an authenticator app or a passkey, "
                f"then go back to {membership.organisation.name}.",
            )
            return redirect("mfa_index")
        request.organisation = membership.organisation
        request.membership = membership
        # Dates and times on the organisation's pages are read and entered in its time zone.
        with (
            scope(organisation=membership.organisation),
            timezone.override(membership.organisation.zone),
        ):
            response = self.get_response(request)
        remember_last_organisation(request, response, slug)
        return response


def remember_last_organisation(request: HttpRequest, response: HttpResponse, slug: str) -> None:
    """Home takes a member of several organisations to the last one they used. The browser keeps
    it in a cookie, not the session, so that reading a page never writes to the database; home
    trusts it only for an organisation the person belongs to."""
    if request.COOKIES.get(LAST_ORG_COOKIE) == slug:
        return
    response.set_cookie(
        LAST_ORG_COOKIE,
        slug,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in person is kept by a browser's or a proxy's cache: every page
    and download of theirs may hold personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "membership", None) is not None or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


# What Django raises when a row changed or went between a page's read and its write.
STALE_WRITES = frozenset(
    {"Save with update_fields did not affect any rows.", "Forced update did not affect any rows."}
)


class StaleWriteMiddleware:
    """A write to a row someone else removed meanwhile (a task deleted in another tab, a proposal
    replaced by a re-run) is answered like a missing page, with words, never a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DatabaseError) and str(exception) in STALE_WRITES:
            return render(
                request,
                "404.html",
                {
                    "reason": "This item was changed or removed while you were working on it. "
                    "Go back and reload the page to see it as it is now."
                },
                status=404,
            )
        return None

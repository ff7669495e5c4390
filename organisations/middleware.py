from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from .models import Membership

TENANT_URL_KWARG = "org_slug"
LAST_ORG_SESSION_KEY = "last_org_slug"


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
        membership = (
            # The one lookup that establishes the scope, so it cannot run inside one.
            Membership.objects.with_scopes_disabled()
            .select_related("organisation")
            .filter(user=request.user, organisation__slug=slug)
            .first()
        )
        if membership is None:
            raise Http404("No such organisation.")
        request.organisation = membership.organisation
        request.membership = membership
        request.session[LAST_ORG_SESSION_KEY] = slug
        # Dates and times on the organisation's pages are read and entered in its time zone.
        with (
            scope(organisation=membership.organisation),
            timezone.override(membership.organisation.zone),
        ):
            return self.get_response(request)

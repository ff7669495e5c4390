from django.contrib import admin
from django.urls import include, path

from notifications.health import health
from organisations import views as organisation_views
from pairs import views as pair_views
from programmes import views as programme_views

from .lazy_views import ACCOUNT_URLPATTERNS

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("accounts/name/", organisation_views.account_name, name="account_name"),
    path("accounts/delete/", organisation_views.account_delete, name="account_delete"),
    path(
        "accounts/single-sign-on/",
        organisation_views.single_sign_on_start,
        name="single_sign_on_start",
    ),
    path("accounts/", include(ACCOUNT_URLPATTERNS)),
    path("organisations/new/", organisation_views.organisation_new, name="organisation_new"),
    path(
        "invitations/<str:token>/",
        organisation_views.invitation_accept_view,
        name="invitation_accept",
    ),
    # A secret, resettable address that calendar apps fetch without signing in.
    path("calendar/<str:token>.ics", programme_views.calendar_feed, name="calendar_feed"),
    path("o/<slug:org_slug>/", programme_views.organisation_home, name="organisation"),
    path("o/<slug:org_slug>/start/", programme_views.organisation_start, name="organisation_start"),
    path("o/<slug:org_slug>/", include("organisations.urls")),
    path("o/<slug:org_slug>/", include("notifications.urls")),
    path("o/<slug:org_slug>/programmes/", include("programmes.urls")),
    path("o/<slug:org_slug>/programmes/<int:programme_id>/", include("pairs.urls")),
    path("o/<slug:org_slug>/programmes/<int:programme_id>/", include("surveys.urls")),
    path("o/<slug:org_slug>/programmes/<int:programme_id>/", include("reports.urls")),
    path(
        "o/<slug:org_slug>/programmes/<int:programme_id>/supervision/",
        include("supervision.urls"),
    ),
    path(
        "o/<slug:org_slug>/programmes/<int:programme_id>/themes/",
        include("themes.urls"),
    ),
    path("o/<slug:org_slug>/apply/<str:token>/", pair_views.apply, name="apply"),
    path("admin/", admin.site.urls),
    # For load balancers and compose: the database, the cache, the broker and the sweep.
    path("health/", health, name="health"),
]

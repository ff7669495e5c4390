from django.urls import path

from . import views

app_name = "notifications"

# Included under o/<slug:org_slug>/.
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/settings/", views.email_settings, name="settings"),
]

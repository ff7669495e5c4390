from django.urls import path

from . import views

# Included under o/<slug:org_slug>/.
urlpatterns = [
    path("", views.organisation_home, name="organisation"),
    path("members/", views.members, name="members"),
    path("notifications/", views.notifications, name="notifications"),
]

from django.urls import path

from . import views

# Included under o/<slug:org_slug>/.
urlpatterns = [
    path("members/", views.members, name="members"),
]

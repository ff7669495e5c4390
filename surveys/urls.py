from django.urls import path

from . import views

app_name = "surveys"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/.
urlpatterns = [
    path("surveys/", views.surveys, name="list"),
    path("surveys/<int:survey_id>/edit/", views.edit, name="edit"),
    path("surveys/<int:survey_id>/", views.respond, name="respond"),
    path("surveys/<int:survey_id>/results/", views.results, name="results"),
]

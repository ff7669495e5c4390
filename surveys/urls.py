from django.urls import path

from . import views

app_name = "surveys"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/.
urlpatterns = [
    path("surveys/", views.surveys, name="list"),
    path("surveys/<int:survey_id>/edit/", views.edit, name="edit"),
    path("surveys/<int:survey_id>/edit/save/", views.save, name="save"),
    path("surveys/<int:survey_id>/questions/", views.add_question, name="add_question"),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/",
        views.question,
        name="question",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/move/",
        views.move_question,
        name="move_question",
    ),
    path(
        "surveys/<int:survey_id>/questions/<int:question_id>/remove/",
        views.remove_question,
        name="remove_question",
    ),
    path("surveys/<int:survey_id>/preview/", views.preview, name="preview"),
    path("surveys/<int:survey_id>/", views.respond, name="respond"),
    path("surveys/<int:survey_id>/results/", views.results, name="results"),
    path(
        "surveys/<int:survey_id>/results/<int:question_id>/quotes/",
        views.quotes,
        name="quotes",
    ),
    path("hard-measures/", views.measures, name="measures"),
    path("hard-measures/<int:measure_id>/", views.measure_edit, name="measure_edit"),
    path("hard-measures/<int:measure_id>/delete/", views.measure_delete, name="measure_delete"),
]

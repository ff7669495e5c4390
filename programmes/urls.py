from django.urls import path

from . import views

app_name = "programmes"

# Included under o/<slug:org_slug>/programmes/.
urlpatterns = [
    path("new/", views.programme_new, name="new"),
    path("<int:programme_id>/", views.timeline, name="timeline"),
    path(
        "<int:programme_id>/stages/<int:stage_id>/status/", views.stage_status, name="stage_status"
    ),
    path("<int:programme_id>/people/", views.people, name="people"),
    path("<int:programme_id>/reports/", views.reports, name="reports"),
    path("<int:programme_id>/reports/<int:report_id>/", views.report_detail, name="report"),
    path(
        "<int:programme_id>/reports/<int:report_id>/download/",
        views.report_download,
        name="report_download",
    ),
]

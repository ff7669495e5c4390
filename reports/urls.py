from django.urls import path

from . import views

app_name = "reports"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/.
urlpatterns = [
    path("reports/", views.reports, name="list"),
    path("reports/new/", views.report_new, name="request"),
    path("reports/<int:report_id>/", views.report_detail, name="detail"),
    path("reports/<int:report_id>/download/", views.report_download, name="download"),
    path(
        "themes/group-sessions/<int:session_id>/analysis.pdf",
        views.analysis_pdf,
        name="analysis_pdf",
    ),
]

from django.urls import path

from . import views

app_name = "themes"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/themes/.
urlpatterns = [
    path("ours/", views.ours, name="ours"),
    path("ours/add/", views.theme_add_view, name="add"),
    path("ours/<int:theme_id>/edit/", views.theme_edit, name="edit"),
    path("ours/<int:theme_id>/delete/", views.theme_delete_view, name="delete"),
    path("ours/<int:theme_id>/share/", views.theme_agree_view, name="share"),
    path("ours/<int:theme_id>/withdraw/", views.theme_withdraw_view, name="withdraw"),
    path("cohort/", views.cohort, name="cohort"),
    path("cohort/propose/", views.grouping_propose, name="propose"),
    path("cohort/propose/status/", views.grouping_status, name="grouping_status"),
    path("cohort/new/", views.recurring_new, name="recurring_new"),
    path("cohort/themes/<int:theme_id>/move/", views.theme_regroup_view, name="regroup"),
    path("recurring/<int:recurring_id>/", views.recurring, name="recurring"),
    path("recurring/<int:recurring_id>/save/", views.recurring_save, name="recurring_save"),
    path("recurring/<int:recurring_id>/accept/", views.recurring_accept_view, name="accept"),
    path("recurring/<int:recurring_id>/dismiss/", views.recurring_dismiss_view, name="dismiss"),
    path("recurring/<int:recurring_id>/merge/", views.recurring_merge_view, name="merge"),
    path("recurring/<int:recurring_id>/split/", views.recurring_split_view, name="split"),
    path("group-sessions/<int:session_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("group-sessions/<int:session_id>/analysis/", views.analysis, name="analysis"),
    path(
        "group-sessions/<int:session_id>/analysis/send/",
        views.analysis_send_now,
        name="analysis_send",
    ),
    path("agenda/<int:item_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path("agenda/<int:item_id>/volunteer/", views.lead_offer_view, name="volunteer"),
    path("agenda/<int:item_id>/withdraw/", views.lead_withdraw_view, name="unvolunteer"),
    path("agenda/<int:item_id>/lead/", views.lead_confirm_view, name="lead"),
    path("register/", views.register_view, name="register"),
    path("register/export.csv", views.register_csv, name="register_csv"),
    path("register/new/", views.issue_new, name="issue_new"),
    path("register/<int:issue_id>/", views.issue, name="issue"),
    path("register/<int:issue_id>/save/", views.issue_save, name="issue_save"),
    path("register/<int:issue_id>/close/", views.issue_close_view, name="issue_close"),
    path("register/<int:issue_id>/reopen/", views.issue_reopen_view, name="issue_reopen"),
    path("register/<int:issue_id>/actions/", views.action_add_view, name="action_add"),
    path("register/<int:issue_id>/progress/", views.issue_progress, name="progress"),
    path("actions/<int:action_id>/", views.action_update_view, name="action_update"),
]

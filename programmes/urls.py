from django.urls import path

from . import views

app_name = "programmes"

# Included under o/<slug:org_slug>/programmes/.
urlpatterns = [
    path("new/", views.programme_new, name="new"),
    path("<int:programme_id>/", views.timeline, name="timeline"),
    path("<int:programme_id>/home/", views.home, name="home"),
    path("<int:programme_id>/anchors/", views.anchors, name="anchors"),
    path("<int:programme_id>/stages/<int:stage_id>/", views.stage_detail, name="stage"),
    path(
        "<int:programme_id>/stages/<int:stage_id>/status/", views.stage_status, name="stage_status"
    ),
    path("<int:programme_id>/stages/<int:stage_id>/dates/", views.stage_dates, name="stage_dates"),
    path(
        "<int:programme_id>/stages/<int:stage_id>/dates/follow/",
        views.stage_dates_follow,
        name="stage_dates_follow",
    ),
    path("<int:programme_id>/stages/<int:stage_id>/tasks/", views.task_add, name="task_add"),
    path("<int:programme_id>/tasks/<int:task_id>/", views.task_edit, name="task_edit"),
    path("<int:programme_id>/tasks/<int:task_id>/status/", views.task_status, name="task_status"),
    path("<int:programme_id>/tasks/<int:task_id>/remove/", views.task_remove, name="task_remove"),
    path(
        "<int:programme_id>/group-sessions/<int:session_id>/",
        views.group_session_edit,
        name="group_session",
    ),
    path("<int:programme_id>/plan/", views.plan, name="plan"),
    path("<int:programme_id>/setup/", views.setup, name="setup"),
    path("<int:programme_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:programme_id>/ethics/", views.ethics, name="ethics"),
    path(
        "<int:programme_id>/ethics/acknowledge/",
        views.ethics_acknowledge_view,
        name="ethics_acknowledge",
    ),
    path("<int:programme_id>/steering/", views.steering, name="steering"),
    path(
        "<int:programme_id>/steering/<int:member_id>/",
        views.steering_member,
        name="steering_member",
    ),
    path(
        "<int:programme_id>/steering/<int:member_id>/leave/",
        views.steering_member_leave,
        name="steering_member_leave",
    ),
    path("<int:programme_id>/training/", views.training, name="training"),
    path(
        "<int:programme_id>/training/<int:session_id>/",
        views.training_session,
        name="training_session",
    ),
    path(
        "<int:programme_id>/training/<int:session_id>/attendance/",
        views.training_attendance,
        name="training_attendance",
    ),
    path("<int:programme_id>/resources/", views.resources, name="resources"),
    path(
        "<int:programme_id>/resources/<int:resource_id>/download/",
        views.resource_download,
        name="resource_download",
    ),
    path(
        "<int:programme_id>/resources/<int:resource_id>/remove/",
        views.resource_remove,
        name="resource_remove",
    ),
    path("<int:programme_id>/calendar/", views.calendar, name="calendar"),
    path("<int:programme_id>/readiness/", views.readiness, name="readiness"),
    path("<int:programme_id>/people/", views.people, name="people"),
    path(
        "<int:programme_id>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "<int:programme_id>/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel_view,
        name="invitation_cancel",
    ),
]

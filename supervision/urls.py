from django.urls import path

from . import views

app_name = "supervision"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/supervision/.
urlpatterns = [
    path("ask/", views.referral_new, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("consents/<int:consent_id>/", views.consent, name="consent"),
    path("triage/", views.triage, name="triage"),
    path("referrals/<int:referral_id>/", views.referral, name="referral"),
    path("referrals/<int:referral_id>/route/", views.referral_route_view, name="route"),
    path("referrals/<int:referral_id>/decline/", views.referral_decline_view, name="decline"),
    path("referrals/<int:referral_id>/assign/", views.referral_assign_view, name="assign"),
    path("referrals/<int:referral_id>/conclude/", views.referral_conclude_view, name="conclude"),
    path("referrals/<int:referral_id>/end-pair/", views.referral_end_pair, name="end_pair"),
    path("pool/", views.pool_view, name="pool"),
    path("pool/<int:supervisor_id>/", views.pool_place, name="pool_place"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:referral_id>/", views.case, name="case"),
    path("cases/<int:referral_id>/accept/", views.case_accept, name="case_accept"),
    path("cases/<int:referral_id>/hand-back/", views.case_hand_back, name="case_hand_back"),
    path("cases/<int:referral_id>/sessions/", views.case_session, name="case_session"),
    path("cases/<int:referral_id>/notes/", views.case_note, name="case_note"),
    path("cases/<int:referral_id>/outcome/", views.case_outcome, name="case_outcome"),
    path("group-sessions/", views.group_sessions, name="group_sessions"),
    path("group-sessions/<int:session_id>/", views.group_session, name="group_session"),
    path(
        "group-sessions/<int:session_id>/facilitator/",
        views.group_session_facilitation,
        name="facilitation",
    ),
    path(
        "group-sessions/<int:session_id>/ground-rules/",
        views.group_session_ground_rules,
        name="ground_rules",
    ),
    path(
        "group-sessions/<int:session_id>/notes/",
        views.group_session_notes,
        name="group_notes",
    ),
    path(
        "group-sessions/<int:session_id>/attendance/",
        views.group_session_attendance_view,
        name="attendance",
    ),
]

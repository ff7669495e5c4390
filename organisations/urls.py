from django.urls import path

from . import views

# Included under o/<slug:org_slug>/.
urlpatterns = [
    path("members/", views.members, name="members"),
    path("audit/", views.audit_log, name="audit_log"),
    path("data-protection/", views.data_protection, name="data_protection"),
    path("members/<int:membership_id>/erase/", views.member_erase_view, name="member_erase"),
    path(
        "members/invitations/<int:invitation_id>/resend/",
        views.member_invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:invitation_id>/cancel/",
        views.member_invitation_cancel_view,
        name="invitation_cancel",
    ),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/<int:export_id>/", views.my_data_export, name="my_data_export"),
    path(
        "my-data/<int:export_id>/download/",
        views.my_data_download,
        name="my_data_download",
    ),
    path("sign-in/", views.sign_in_settings, name="sign_in_settings"),
    path(
        "sign-in/single-sign-on/remove/",
        views.single_sign_on_remove_view,
        name="single_sign_on_remove",
    ),
]

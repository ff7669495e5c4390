from django.urls import path

from . import views

# Included under o/<slug:org_slug>/.
urlpatterns = [
    path("members/", views.members, name="members"),
    path("sign-in/", views.sign_in_settings, name="sign_in_settings"),
    path(
        "sign-in/single-sign-on/remove/",
        views.single_sign_on_remove_view,
        name="single_sign_on_remove",
    ),
]

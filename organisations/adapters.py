"""allauth's adapters: the social-account one tied to the organisations' single sign-on, and the
account one that keeps the passkey libraries out of a sign-in that needs no second factor.

An organisation's identity provider speaks only for the e-mail domains the organisation signs in
through it: an address of another domain is refused, and an address of its domains is taken as
verified (that is what the identity provider is for) and signs in the account that has it.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import LoginStage
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.internal.constants import LoginStageKey
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.shortcuts import render

from .models import SingleSignOn, User
from .sign_in import (
    JoinRefused,
    domains_of,
    email_domain,
    no_join_message,
    single_sign_on_admit,
    single_sign_on_for_app,
)


def _refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(
        render(request, "organisations/sign_in_refused.html", {"message": message}, status=403)
    )


def _single_sign_on(sociallogin: SocialLogin) -> SingleSignOn | None:
    return single_sign_on_for_app(sociallogin.provider.app)


def _speaks_for(sociallogin: SocialLogin, email: str) -> bool:
    single_sign_on = _single_sign_on(sociallogin)
    if single_sign_on is None:
        return False
    return email_domain(email) in domains_of(single_sign_on.organisation)


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    def is_email_verified(self, provider: object, email: str) -> bool:
        single_sign_on = single_sign_on_for_app(getattr(provider, "app", None))
        if single_sign_on is None:
            return False
        return email_domain(email) in domains_of(single_sign_on.organisation)

    def can_authenticate_by_email(self, login: SocialLogin, email: str) -> bool:
        return _speaks_for(login, email)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        single_sign_on = _single_sign_on(sociallogin)
        if single_sign_on is None:
            raise _refuse(request, "This identity provider is no longer set up for sign-in.")
        addresses = [address.email for address in sociallogin.email_addresses]
        if not addresses or not all(_speaks_for(sociallogin, email) for email in addresses):
            raise _refuse(
                request,
                f"{single_sign_on.organisation.name}'s identity provider signs in only people "
                f"of its own e-mail domains, and it did not give us such an address for you.",
            )
        if sociallogin.is_existing:
            try:
                single_sign_on_admit(single_sign_on=single_sign_on, user=sociallogin.user)
            except JoinRefused as refusal:
                raise _refuse(request, str(refusal)) from refusal

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        single_sign_on = _single_sign_on(sociallogin)
        if single_sign_on is None or not single_sign_on.allow_join:
            organisation = single_sign_on.organisation if single_sign_on else None
            raise _refuse(
                request,
                no_join_message(organisation)
                if organisation
                else "Sign-up through this provider is closed.",
            )
        return True

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict) -> User:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        max_length = User._meta.get_field("full_name").max_length
        user.full_name = " ".join(str(name or "").split())[:max_length]
        return user

    def save_user(
        self, request: HttpRequest, sociallogin: SocialLogin, form: object = None
    ) -> User:
        user = super().save_user(request, sociallogin, form)
        single_sign_on = _single_sign_on(sociallogin)
        if single_sign_on is not None:
            single_sign_on_admit(single_sign_on=single_sign_on, user=user)
        return user

    def list_providers(self, request: HttpRequest) -> list:
        """Only the identity providers of the person's own organisations: a list of every
        organisation's would name them all to anyone who opens the sign-in page."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        mine = set(
            SingleSignOn.objects.with_scopes_disabled()
            .filter(organisation__memberships__user=user)
            .values_list("app_id", flat=True)
        )
        return [p for p in super().list_providers(request) if p.app and p.app.pk in mine]


ALLAUTH_SECOND_FACTOR_STAGE = "allauth.mfa.stages.AuthenticateStage"


class SecondFactorStage(LoginStage):
    """allauth's two-factor step of signing in, which imports the passkey libraries (fido2 and
    cryptography, some 12 MiB in every web worker) as it loads: loaded here only for a person who
    has a second factor. For anyone else allauth's step does nothing, and neither does this."""

    key = LoginStageKey.MFA_AUTHENTICATE.value
    urlname = "mfa_authenticate"

    def handle(self) -> tuple:
        user = self.login.user
        if user is None or not is_mfa_enabled(
            user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ):
            return None, True
        from allauth.mfa.stages import AuthenticateStage

        return AuthenticateStage(self.controller, self.request, self.login).handle()


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        ours = f"{SecondFactorStage.__module__}.{SecondFactorStage.__qualname__}"
        return [
            ours if stage == ALLAUTH_SECOND_FACTOR_STAGE else stage
            for stage in super().get_login_stages()
        ]

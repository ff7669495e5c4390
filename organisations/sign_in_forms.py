"""The forms of signing in: allauth's sign-in form, the e-mail-first start of single sign-on, and
the organisation's sign-in policy (the two-factor requirement, its identity provider).

They live apart from `organisations.forms` because allauth builds its own forms on
`organisations.forms.SignupNameForm`, so that module cannot import allauth's."""

import ipaddress
import re
from urllib.parse import urlsplit

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.utils import is_mfa_enabled
from django import forms
from django.http import HttpResponseRedirect

from .forms import Form
from .models import Organisation, SignInDomain, SingleSignOn, User
from .sign_in import SECOND_FACTORS, single_sign_on_for_email, single_sign_on_start_url


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form (ACCOUNT_FORMS): an address of a domain that signs in through its
    organisation's identity provider goes there instead of being asked for a password."""

    def clean(self) -> dict:
        email = str(self.data.get("login", ""))
        single_sign_on = single_sign_on_for_email(email) if "@" in email else None
        if single_sign_on is not None and self.request is not None:
            raise ImmediateHttpResponse(
                HttpResponseRedirect(single_sign_on_start_url(self.request, single_sign_on))
            )
        return super().clean()


class SingleSignOnStartForm(Form):
    email = forms.EmailField(
        label="Your work e-mail address",
        max_length=254,
        help_text="If your organisation signs you in through its own identity provider, we "
        "send you there.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        self.single_sign_on = single_sign_on_for_email(email)
        if self.single_sign_on is None:
            raise forms.ValidationError(
                "No organisation signs in people of this e-mail domain through single sign-on. "
                "Sign in with your password instead."
            )
        return email


class MfaRequirementForm(Form):
    """A choice of two, not a checkbox: only a real answer changes the requirement. (A plain form:
    a model form would change the organisation before the service does.)"""

    mfa_required = forms.TypedChoiceField(
        label="Two-factor sign-in",
        choices=[
            ("no", "Not required: each person chooses"),
            ("yes", "Required of organisation admins, coordinators and supervisors"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=Organisation._meta.get_field("mfa_required").help_text,
        error_messages={"required": "Choose whether two-factor sign-in is required."},
    )

    def __init__(self, *args: object, admin: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.admin = admin

    def clean_mfa_required(self) -> bool:
        required = self.cleaned_data["mfa_required"]
        if required and not is_mfa_enabled(self.admin, SECOND_FACTORS):
            raise forms.ValidationError(
                "Set up two-factor sign-in for yourself first (Two-factor sign-in, in your "
                "account menu): the requirement covers you too."
            )
        return required


DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOOPBACK_HOSTS = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SecureUrlField(forms.URLField):
    """An identity provider's address: https, or http only on this machine (a local test IdP)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_length=500, assume_scheme="https", **kwargs)

    def clean(self, value: object) -> str:
        url = super().clean(value)
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
                raise forms.ValidationError("The address must start with https://.")
        return url


class SingleSignOnForm(Form):
    """An organisation's identity provider: OpenID Connect or SAML 2.0, for its e-mail domains."""

    protocol = forms.ChoiceField(
        label="Protocol", choices=SingleSignOn.Protocol.choices, widget=forms.RadioSelect
    )
    domains = forms.CharField(
        label="E-mail domains",
        max_length=2000,
        help_text="Separated by commas, e.g. example.com, example.co.uk. You must have a verified "
        "e-mail address at each of them.",
    )
    allow_join = forms.BooleanField(
        label=SingleSignOn._meta.get_field("allow_join").verbose_name.capitalize(),
        help_text=SingleSignOn._meta.get_field("allow_join").help_text,
        required=False,
    )
    server_url = SecureUrlField(
        label="Issuer (server) URL",
        required=False,
        help_text="OpenID Connect: where /.well-known/openid-configuration is found.",
    )
    client_id = forms.CharField(label="Client ID", max_length=191, required=False)
    secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored, never shown again. Leave empty to keep the one already saved.",
    )
    entity_id = forms.CharField(label="IdP entity ID", max_length=500, required=False)
    sso_url = SecureUrlField(label="IdP single sign-on URL", required=False)
    x509cert = forms.CharField(
        label="IdP signing certificate (x509, PEM)",
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    metadata_url = SecureUrlField(
        label="IdP metadata URL",
        required=False,
        help_text="SAML: instead of the single sign-on URL and certificate.",
    )

    def __init__(
        self,
        *args: object,
        organisation: Organisation,
        admin: User,
        has_secret: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.admin = admin
        self.has_secret = has_secret

    def clean_domains(self) -> list[str]:
        domains = sorted(
            {part.strip().lower() for part in self.cleaned_data["domains"].split(",")} - {""}
        )
        if not domains:
            raise forms.ValidationError("Give at least one e-mail domain.")
        bad = [domain for domain in domains if not DOMAIN_PATTERN.match(domain)]
        if bad:
            raise forms.ValidationError(
                f"“{bad[0][:80]}” is not an e-mail domain, e.g. example.com."
            )
        mine = {
            address.rpartition("@")[2].lower()
            for address in EmailAddress.objects.filter(user=self.admin, verified=True).values_list(
                "email", flat=True
            )
        }
        unverified = [domain for domain in domains if domain not in mine]
        if unverified:
            raise forms.ValidationError(
                f"You have no verified e-mail address at {unverified[0]}: add one under "
                f"E-mail addresses first, so we know the domain is your organisation's."
            )
        taken = (
            SignInDomain.objects.with_scopes_disabled()
            .filter(domain__in=domains)
            .exclude(organisation=self.organisation)
            .values_list("domain", flat=True)
            .first()
        )
        if taken:
            raise forms.ValidationError(f"{taken} signs in through another organisation.")
        return domains

    def clean_x509cert(self) -> str:
        text = self.cleaned_data["x509cert"].strip()
        if not text:
            return ""
        pem = text
        if "-----BEGIN CERTIFICATE-----" not in pem:
            pem = f"-----BEGIN CERTIFICATE-----\n{pem}\n-----END CERTIFICATE-----"
        # Imported here: cryptography's x509 is some 10 MiB, for the rare saving of this form.
        from cryptography import x509

        try:
            x509.load_pem_x509_certificate(pem.encode())
        except ValueError as error:
            raise forms.ValidationError(
                "This is not an x509 certificate in PEM form (-----BEGIN CERTIFICATE-----)."
            ) from error
        return text

    def clean(self) -> dict:
        data = super().clean()
        protocol = data.get("protocol")
        if protocol == SingleSignOn.Protocol.OIDC:
            self._require("server_url", "Give the identity provider's issuer URL.")
            self._require("client_id", "Give the client ID the identity provider issued.")
            if not self.has_secret:
                self._require("secret", "Give the client secret the identity provider issued.")
        elif protocol == SingleSignOn.Protocol.SAML:
            self._require("entity_id", "Give the identity provider's entity ID.")
            if not data.get("metadata_url"):
                self._require("sso_url", "Give the single sign-on URL, or a metadata URL.")
                self._require("x509cert", "Give the signing certificate, or a metadata URL.")
        return data

    def _require(self, name: str, message: str) -> None:
        if name not in self.errors and not self.cleaned_data.get(name):
            self.add_error(name, message)

    def app_settings(self) -> dict[str, object]:
        """What allauth's provider reads from the SocialApp row's settings."""
        data = self.cleaned_data
        if data["protocol"] == SingleSignOn.Protocol.OIDC:
            return {"server_url": data["server_url"], "oauth_pkce_enabled": True}
        idp: dict[str, str] = {"entity_id": data["entity_id"]}
        if data["metadata_url"]:
            idp["metadata_url"] = data["metadata_url"]
        else:
            idp.update(sso_url=data["sso_url"], x509cert=data["x509cert"])
        return {
            "idp": idp,
            "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True},
        }

    @staticmethod
    def initial_from(single_sign_on: SingleSignOn | None, domains: list[str]) -> dict:
        if single_sign_on is None:
            return {"protocol": SingleSignOn.Protocol.OIDC}
        settings = single_sign_on.app.settings or {}
        idp = settings.get("idp", {})
        return {
            "protocol": single_sign_on.protocol,
            "domains": ", ".join(domains),
            "allow_join": single_sign_on.allow_join,
            "server_url": settings.get("server_url", ""),
            "client_id": single_sign_on.app.client_id
            if single_sign_on.protocol == SingleSignOn.Protocol.OIDC
            else "",
            "entity_id": idp.get("entity_id", ""),
            "sso_url": idp.get("sso_url", ""),
            "x509cert": idp.get("x509cert", ""),
            "metadata_url": idp.get("metadata_url", ""),
        }

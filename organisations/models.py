import secrets
import zoneinfo
from datetime import timedelta

from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from .roles import OrgRole


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        return self._create(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractUser):
    """A person; they sign in with their e-mail address."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone, e.g. Europe/London.")


class Organisation(models.Model):
    """The tenant. Every tenant-owned row reaches one of these by a foreign key path."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    mfa_required = models.BooleanField(
        "require two-factor sign-in of those who read confidential data",
        default=False,
        help_text="Organisation admins, coordinators and supervisors set up an authenticator "
        "app or a passkey before they open any page of the organisation.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=OrgRole.choices, default=OrgRole.MEMBER)
    reminder_emails = models.BooleanField(
        "e-mail me a daily digest of my reminders",
        default=True,
        help_text="Reminders always appear under Notifications; this only stops the e-mail.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["user__full_name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == OrgRole.ADMIN


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_invitation_expiry() -> "timezone.datetime":
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation. Apps above may attach more to it (a role in
    a programme) and give it on acceptance, through the hooks in `organisations.hooks`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("e-mail address")
    full_name = models.CharField(
        "name", max_length=150, blank=True, help_text="Whom the invitation greets."
    )
    role = models.CharField(max_length=20, choices=OrgRole.choices, default=OrgRole.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.full_name or self.email} to {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class SingleSignOn(models.Model):
    """The organisation's identity provider: people of its e-mail domains sign in through it.

    The protocol itself is allauth's: `app` is the OpenID Connect or SAML SocialApp row that this
    organisation's admin configured in the app.
    """

    class Protocol(models.TextChoices):
        OIDC = "openid_connect", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="single_sign_on"
    )
    protocol = models.CharField(max_length=20, choices=Protocol.choices)
    app = models.OneToOneField(SocialApp, on_delete=models.PROTECT, related_name="+")
    allow_join = models.BooleanField(
        "let new people join on their first sign-in",
        default=False,
        help_text="They join as members; without this, only people already in the organisation "
        "can sign in through it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organisation="organisation")

    def __str__(self) -> str:
        return f"{self.get_protocol_display()} for {self.organisation}"


class SignInDomain(models.Model):
    """An e-mail domain whose people sign in through one organisation's identity provider. A
    domain belongs to one organisation only."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sign_in_domains"
    )
    domain = models.CharField(max_length=253, unique=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

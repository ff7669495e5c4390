import secrets
import zoneinfo
from datetime import datetime, timedelta

from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
    retention_months = models.PositiveSmallIntegerField(
        "keep a programme's personal data for (months after it ends)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Then names, one-pagers, reflections, concerns and the like are erased; "
        "survey answers stay, linked to nobody. Admins are warned 30 days ahead.",
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


# How long an invitation's link works, from when it is sent (or sent again).
INVITATION_LIFETIME = timedelta(days=14)


def default_invitation_expiry() -> "timezone.datetime":
    return timezone.now() + INVITATION_LIFETIME


class InvitationState(models.TextChoices):
    """Where an invitation stands, in the words its lists use."""

    INVITED = "invited", "Invited"  # waiting for an answer, its link still works
    EXPIRED = "expired", "Expired"  # nobody answered in time; it can be sent again
    JOINED = "joined", "Joined"
    CANCELLED = "cancelled", "Cancelled"


# Invitations that are neither used nor cancelled: they can be sent again or cancelled.
WAITING_STATES = frozenset({InvitationState.INVITED, InvitationState.EXPIRED})


def invitation_state_q(state: str, *, now: datetime, path: str = "") -> models.Q:
    """The condition for invitations in `state`; `path` reaches them from another model
    (e.g. "invitation__"). `Invitation.state` says the same of one invitation."""

    def field(lookup: str, value: object) -> models.Q:
        return models.Q(**{f"{path}{lookup}": value})

    waiting = field("accepted_at__isnull", True) & field("cancelled_at__isnull", True)
    return {
        InvitationState.INVITED: waiting & field("expires_at__gt", now),
        InvitationState.EXPIRED: waiting & field("expires_at__lte", now),
        InvitationState.JOINED: field("accepted_at__isnull", False),
        InvitationState.CANCELLED: field("accepted_at__isnull", True)
        & field("cancelled_at__isnull", False),
    }[InvitationState(state)]


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def waiting(self) -> "InvitationQuerySet":
        """Neither used nor cancelled, expired or not."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation. Apps above may attach more to it (a role in
    a programme) and give it on acceptance, through the hooks in `organisations.hooks`.

    It is used once (`accepted_at`), or cancelled (`cancelled_at`), or it expires; until it is
    used or cancelled it can be sent again, which renews its expiry (`times_sent` counts)."""

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
    times_sent = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last sent again; empty if sent only once."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(InvitationQuerySet)
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.full_name or self.email} to {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def state(self) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.JOINED
        if self.cancelled_at is not None:
            return InvitationState.CANCELLED
        return InvitationState.EXPIRED if self.is_expired else InvitationState.INVITED

    @property
    def is_waiting(self) -> bool:
        """Neither used nor cancelled: it may be sent again or cancelled."""
        return self.state in WAITING_STATES


class AuditAction(models.TextChoices):
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_REMOVED = "role_removed", "Role removed"
    RECORD_READ = "record_read", "Confidential record read"
    EXPORT_DOWNLOADED = "export_downloaded", "Export or report downloaded"
    MATCHING_RUN = "matching_run", "Matching run"
    DATA_EXPORT_REQUESTED = "data_export_requested", "Personal data export requested"
    DATA_EXPORT_DOWNLOADED = "data_export_downloaded", "Personal data export downloaded"
    ERASURE = "erasure", "Personal data erased"
    RETENTION_CHANGED = "retention_changed", "Retention period changed"
    RETENTION_ANONYMISED = "retention_anonymised", "Programme anonymised after retention"
    SIGN_IN_POLICY_CHANGED = "sign_in_policy_changed", "Sign-in policy changed"
    INVITATION_SENT = "invitation_sent", "Invitation sent"
    INVITATION_RESENT = "invitation_resent", "Invitation sent again"
    INVITATION_CANCELLED = "invitation_cancelled", "Invitation cancelled"


class AuditEntryIsPermanent(Exception):
    """An audit entry, once written, is never changed or removed by the application."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise AuditEntryIsPermanent("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryIsPermanent("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to which record, when: ids, kinds and counts only, never a record's text.

    Append-only: written by `organisations.audit`, never changed or deleted by the app. Deleting
    a person sets `actor` and `person` to nobody (the database does that, not this model)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    # What was acted on: a kind from a fixed vocabulary ("concern", "role:coordinator") and ids.
    subject = models.CharField(max_length=60, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose data or role it was, when that is one person.",
    )
    programme_id = models.PositiveBigIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1)
    # Entries a page queued for a worker to write carry a key, so a message delivered twice is
    # written once.
    key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedManager(
        organisation="organisation", _manager_class=models.Manager.from_queryset(AuditEntryQuerySet)
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditEntryIsPermanent("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditEntryIsPermanent("Audit entries cannot be deleted.")


class PersonalExportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def personal_export_upload_to(export: "PersonalExport", filename: str) -> str:
    return f"personal-data/{export.organisation_id}/{filename}"


class PersonalExport(models.Model):
    """Everything an organisation holds about one person, as a ZIP built by a worker. Only that
    person downloads it, until it expires; whoever asked for it on their behalf does not."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=PersonalExportStatus.choices, default=PersonalExportStatus.PENDING
    )
    file = models.FileField(upload_to=personal_export_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Personal data export ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_downloadable(self) -> bool:
        return self.status == PersonalExportStatus.READY and bool(self.file) and not self.is_expired


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

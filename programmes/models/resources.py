import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from .programme import Programme


class ResourceAudience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    SENIOR = "senior", "Senior side"
    JUNIOR = "junior", "Junior side"
    STEERING = "steering", "Steering group"


FILE_NAME_MAX = 200


def resource_upload_to(resource: "Resource", filename: str) -> str:
    """Stored under a name of our own: an uploaded name can be any length or character, and the
    person's own name for the file is kept in `file_name` for the download."""
    suffix = PurePath(filename).suffix.lower()[:10]
    folder = f"resources/{resource.programme.organisation_id}/{resource.programme_id}"
    return f"{folder}/{secrets.token_hex(12)}{suffix}"


def display_file_name(filename: str) -> str:
    """The uploaded file's own name, shortened to fit (keeping its type) and without folders."""
    name = PurePath(filename.replace("\\", "/")).name.replace("\x00", "") or "file"
    if len(name) <= FILE_NAME_MAX:
        return name
    suffix = PurePath(name).suffix[:10]
    return name[: FILE_NAME_MAX - len(suffix) - 1].rstrip() + "…" + suffix


class Resource(models.Model):
    """A background material in the programme's library: a link or an uploaded file."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    audience = models.CharField(
        max_length=20, choices=ResourceAudience.choices, default=ResourceAudience.EVERYONE
    )
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to=resource_upload_to, blank=True, max_length=300)
    file_name = models.CharField(max_length=FILE_NAME_MAX, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="programme__organisation")

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file=""))
                | (~models.Q(url="") & models.Q(file="")),
                name="resource_is_a_link_or_a_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

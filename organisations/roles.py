"""The roles people hold: one per organisation, any number per programme."""

from django.db import models


class OrgRole(models.TextChoices):
    ADMIN = "admin", "Organisation admin"
    MEMBER = "member", "Member"


class Role(models.TextChoices):
    """A person's role in one programme."""

    COORDINATOR = "coordinator", "Coordinator"
    STEERING = "steering", "Steering-group member"
    PARTICIPANT = "participant", "Participant"
    SUPERVISOR = "supervisor", "Supervisor"
    EXECUTIVE = "executive", "Executive sponsor"


class Side(models.TextChoices):
    SENIOR = "senior", "Senior side"
    JUNIOR = "junior", "Junior side"

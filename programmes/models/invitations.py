from django.db import models
from django_scopes import ScopedManager

from organisations.models import Invitation
from organisations.roles import Role, Side

from .programme import Programme


class ProgrammeInvitation(models.Model):
    """What an organisation's invitation grants in a programme: a role, and a side or a group."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="programme_invitation"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    stakeholder_group = models.CharField(max_length=120, blank=True)

    objects = ScopedManager(organisation="programme__organisation")

    def __str__(self) -> str:
        return f"Invitation to {self.programme} as {self.get_role_display().lower()}"

    @property
    def purpose(self) -> str:
        """What follows "to join <organisation>" in the invitation's words."""
        role = self.get_role_display().lower()
        if self.side:
            role += f" ({self.get_side_display().lower()})"
        return f", as {role} in the programme “{self.programme.name}”"

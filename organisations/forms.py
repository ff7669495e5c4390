import zoneinfo

from django import forms

from .models import Invitation, Membership, Organisation
from .roles import OrgRole

TIME_ZONE_CHOICES = [
    (zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())
]


class OrganisationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        initial="Europe/London",
        help_text="Reminders and digests go out by this clock.",
    )

    class Meta:
        model = Organisation
        fields = ["name", "time_zone"]
        labels = {"name": "Organisation name"}


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=OrgRole.choices, initial=OrgRole.MEMBER)

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Membership.objects.filter(
            organisation=self.organisation, user__email__iexact=email
        ).exists():
            raise forms.ValidationError("This person is already a member of the organisation.")
        if Invitation.objects.filter(
            organisation=self.organisation, email__iexact=email, accepted_at__isnull=True
        ).exists():
            raise forms.ValidationError("An invitation to this address is already waiting.")
        return email


class MemberFilterForm(forms.Form):
    q = forms.CharField(label="Name or e-mail", required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *OrgRole.choices], required=False)

from django import forms

from organisations.models import Membership, Organisation
from organisations.roles import Role, Side

from .models import Programme, ProgrammeMember, StageStatus


class DateInput(forms.DateInput):
    input_type = "date"


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "start_date", "reminder_lead_days"]
        labels = {
            "name": "Programme name",
            "start_date": "Commissioning starts on",
            "reminder_lead_days": "Remind coordinators this many days before a stage starts",
        }
        widgets = {"start_date": DateInput()}

    def clean_reminder_lead_days(self) -> int:
        days = self.cleaned_data["reminder_lead_days"]
        if days > 60:
            raise forms.ValidationError("Choose a lead time of at most 60 days.")
        return days


class StageStatusForm(forms.Form):
    status = forms.ChoiceField(choices=StageStatus.choices)


class ProgrammeMemberForm(forms.Form):
    """Give someone a role in the programme: a member of the organisation, or a new invitee."""

    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices)
    side = forms.ChoiceField(
        choices=[("", "—"), *Side.choices], required=False, help_text="Participants only."
    )

    def __init__(
        self, *args: object, programme: Programme, organisation: Organisation, **kwargs: object
    ):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.organisation = organisation
        self.membership: Membership | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        self.membership = (
            Membership.objects.filter(organisation=self.organisation, user__email__iexact=email)
            .select_related("user")
            .first()
        )
        return email

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        role, side = cleaned.get("role"), cleaned.get("side")
        if role == Role.PARTICIPANT and not side:
            self.add_error("side", "Choose the participant's side: senior or junior.")
        if role and role != Role.PARTICIPANT and side:
            self.add_error("side", "Only participants have a side.")
        if (
            self.membership
            and role
            and ProgrammeMember.objects.filter(
                programme=self.programme, user=self.membership.user, role=role
            ).exists()
        ):
            self.add_error("role", "This person already has this role in the programme.")
        return cleaned


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Name or e-mail", required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)

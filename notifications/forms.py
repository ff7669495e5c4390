from django import forms

from organisations.models import Membership


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["reminder_emails"]

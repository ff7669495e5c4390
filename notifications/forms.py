from organisations.forms import ModelForm
from organisations.models import Membership


class NotificationSettingsForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["reminder_emails"]

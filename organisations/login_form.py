"""allauth's sign-in form, in a module of its own: allauth builds its forms on
`organisations.forms.SignupNameForm`, so that module cannot import them."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpResponseRedirect

from .sign_in import single_sign_on_for_email, single_sign_on_start_url


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

"""The demo organisation and its people: accounts, verified addresses and memberships."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from organisations.models import Membership, Organisation, User
from organisations.roles import OrgRole
from organisations.services import organisation_create

from .story import Data


def people_load(*, people: list[Data], password: str) -> dict[str, User]:
    """Everyone's account, by e-mail, with a verified address; accounts already there stay as
    they are."""
    hashed = ""
    users = {}
    for person in people:
        user = User.objects.filter(email=person["email"]).first()
        if user is None:
            hashed = hashed or make_password(password)  # once for all: hashing is slow on purpose
            user = User.objects.create_user(
                email=person["email"], password=None, full_name=person["name"]
            )
            user.password = hashed
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        users[user.email] = user
    return users


def organisation_load(*, data: Data, people: list[Data], users: dict[str, User]) -> Organisation:
    """The organisation, created by its admin, with everyone a member (the admin as admin)."""
    admin = next(users[p["email"]] for p in people if p.get("org_role") == OrgRole.ADMIN)
    organisation = Organisation.objects.filter(slug=data["slug"]).first() or organisation_create(
        name=data["name"], slug=data["slug"], time_zone=data["time_zone"], creator=admin
    )
    # The organisation app has no service for adding a member other than an invitation, which
    # would e-mail everyone: the demo's people are members already.
    for person in people:
        Membership.objects.with_scopes_disabled().get_or_create(
            user=users[person["email"]],
            organisation=organisation,
            defaults={"role": person.get("org_role", OrgRole.MEMBER)},
        )
    return organisation

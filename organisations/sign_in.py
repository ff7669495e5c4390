"""How people sign in to an organisation: the two-factor requirement and single sign-on.

The protocols are allauth's (`allauth.mfa`, `allauth.socialaccount` with its OpenID Connect and
SAML providers); this module keeps the organisation's policy: who must use a second factor, which
identity provider serves which e-mail domains, and whether newcomers may join through it.

Changes of sign-in policy go through `sign_in_policy_changed`, the one place an audit entry for
them belongs.
"""

import operator
from collections.abc import Callable, Iterable
from functools import reduce

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from .audit import audit_sign_in_policy_change
from .models import Membership, Organisation, SignInDomain, SingleSignOn, User
from .roles import OrgRole

# --- Two-factor sign-in ---------------------------------------------------------------------

# Apps above say, as a condition on a query of memberships, whether the member holds a role that
# reads confidential data in the organisation (coordinating or supervising a programme), e.g.
# `Exists(rows.filter(organisation=OuterRef("organisation"), user=OuterRef("user")))`;
# organisation admins always do.
ConfidentialRoles = Callable[[], Exists]
_confidential_roles: list[ConfidentialRoles] = []

# The factors that count: recovery codes only back up one of these.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def register_confidential_roles(condition: ConfidentialRoles) -> None:
    if condition not in _confidential_roles:
        _confidential_roles.append(condition)


def with_sign_in_facts(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """What the two-factor requirement asks about each membership, read in the query that loads
    the memberships: whether its person holds a confidential role there (`holds_confidential_role`)
    and has a second factor (`has_second_factor`)."""
    conditions = [Q(condition()) for condition in _confidential_roles]
    holds = reduce(operator.or_, conditions) if conditions else Value(False)
    return memberships.annotate(
        holds_confidential_role=ExpressionWrapper(holds, output_field=BooleanField()),
        has_second_factor=Exists(
            Authenticator.objects.filter(user=OuterRef("user"), type__in=SECOND_FACTORS)
        ),
    )


def _sign_in_facts(membership: Membership) -> Membership:
    """The membership itself when it was loaded with its facts; otherwise they are read now."""
    if hasattr(membership, "has_second_factor"):
        return membership
    return with_sign_in_facts(Membership.objects.with_scopes_disabled()).get(pk=membership.pk)


def reads_confidential_data(membership: Membership) -> bool:
    if membership.role == OrgRole.ADMIN:
        return True
    return _sign_in_facts(membership).holds_confidential_role


def owes_second_factor(membership: Membership) -> bool:
    """The organisation requires a second factor of this person and they have none yet."""
    if not membership.organisation.mfa_required:
        return False
    if not reads_confidential_data(membership):
        return False
    return not _sign_in_facts(membership).has_second_factor


def sign_in_policy_changed(*, organisation: Organisation, by: User, change: str) -> None:
    """Every change of an organisation's sign-in policy passes here, inside the change's
    transaction, and is audited. `change` says what changed in words that hold no secret
    (never a client secret or a certificate)."""
    audit_sign_in_policy_change(organisation=organisation, actor=by, setting=change)


@transaction.atomic
def mfa_requirement_set(*, organisation: Organisation, required: bool, by: User) -> Organisation:
    if organisation.mfa_required == required:
        return organisation
    organisation.mfa_required = required
    organisation.save(update_fields=["mfa_required"])
    sign_in_policy_changed(
        organisation=organisation,
        by=by,
        change="two-factor sign-in required" if required else "two-factor sign-in not required",
    )
    return organisation


# --- Single sign-on -------------------------------------------------------------------------


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def single_sign_on_of(organisation: Organisation) -> SingleSignOn | None:
    return SingleSignOn.objects.select_related("app").filter(organisation=organisation).first()


def single_sign_on_for_email(email: str) -> SingleSignOn | None:
    """The identity provider that signs in people of this address's domain, if any. Read before
    anyone is signed in, so outside any organisation's scope."""
    domain = email_domain(email)
    if not domain:
        return None
    return (
        SingleSignOn.objects.with_scopes_disabled()
        .select_related("app", "organisation")
        .filter(organisation__sign_in_domains__domain=domain)
        .first()
    )


def single_sign_on_for_app(app: SocialApp | None) -> SingleSignOn | None:
    if app is None or app.pk is None:
        return None
    return (
        SingleSignOn.objects.with_scopes_disabled()
        .select_related("organisation")
        .filter(app=app)
        .first()
    )


def domains_of(organisation: Organisation) -> list[str]:
    return list(
        SignInDomain.objects.filter(organisation=organisation).values_list("domain", flat=True)
    )


def provider_id_for(organisation: Organisation) -> str:
    """allauth names each app; ours is named after its organisation's slug, which is unique."""
    return f"org-{organisation.slug}"


@transaction.atomic
def single_sign_on_save(
    *,
    organisation: Organisation,
    by: User,
    protocol: str,
    domains: Iterable[str],
    allow_join: bool,
    app_settings: dict[str, object],
    client_id: str = "",
    secret: str = "",
) -> SingleSignOn:
    """Configure (or reconfigure) the organisation's identity provider. An empty `secret` keeps
    the one already stored, so the form never has to show it again."""
    current = single_sign_on_of(organisation)
    app = current.app if current else SocialApp()
    app.provider = protocol
    app.provider_id = provider_id_for(organisation)
    app.name = organisation.name[: SocialApp._meta.get_field("name").max_length]
    if protocol == SingleSignOn.Protocol.SAML:
        # allauth's SAML URLs carry the "organization slug", which it keeps as the client id.
        app.client_id = organisation.slug
        app.secret = ""
    else:
        app.client_id = client_id
        app.secret = secret or (app.secret if current else "")
    app.settings = app_settings
    app.save()
    if current is None:
        current = SingleSignOn.objects.create(
            organisation=organisation, protocol=protocol, app=app, allow_join=allow_join
        )
    else:
        current.protocol = protocol
        current.allow_join = allow_join
        current.save(update_fields=["protocol", "allow_join", "updated_at"])
    wanted = sorted({domain.strip().lower() for domain in domains})
    SignInDomain.objects.filter(organisation=organisation).exclude(domain__in=wanted).delete()
    for domain in wanted:
        SignInDomain.objects.get_or_create(organisation=organisation, domain=domain)
    sign_in_policy_changed(
        organisation=organisation,
        by=by,
        change=f"single sign-on through {current.get_protocol_display()} for "
        f"{', '.join(wanted)}; newcomers {'may' if allow_join else 'may not'} join",
    )
    return current


@transaction.atomic
def single_sign_on_remove(*, organisation: Organisation, by: User) -> None:
    current = single_sign_on_of(organisation)
    if current is None:
        return
    app = current.app
    current.delete()
    app.delete()
    SignInDomain.objects.filter(organisation=organisation).delete()
    sign_in_policy_changed(organisation=organisation, by=by, change="single sign-on removed")


class JoinRefused(Exception):
    """Why someone who signed in at the identity provider cannot enter, in words for them."""


def single_sign_on_admit(*, single_sign_on: SingleSignOn, user: User) -> Membership:
    """The person the identity provider vouched for enters its organisation: as the member they
    are, or as a new member when the organisation lets newcomers join."""
    membership = (
        Membership.objects.with_scopes_disabled()
        .filter(organisation=single_sign_on.organisation, user=user)
        .first()
    )
    if membership is not None:
        return membership
    if not single_sign_on.allow_join:
        raise JoinRefused(no_join_message(single_sign_on.organisation))
    return Membership.objects.with_scopes_disabled().create(
        organisation=single_sign_on.organisation, user=user, role=OrgRole.MEMBER
    )


def no_join_message(organisation: Organisation) -> str:
    return (
        f"Your identity provider signed you in, but you are not a member of "
        f"{organisation.name} and it does not let people join on their own. Ask one of its "
        f"admins for an invitation."
    )


def single_sign_on_start_url(request: HttpRequest, single_sign_on: SingleSignOn) -> str:
    """Where a person of the organisation's domains starts signing in: allauth's login page for
    its identity provider, which hands them over to it."""
    provider = single_sign_on.app.get_provider(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    params = {"process": "login"}
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        params["next"] = next_url
    return provider.get_login_url(request, **params)

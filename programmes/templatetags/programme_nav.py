from django import template

from ..navigation import Nav, programme_nav

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_navigation(context: template.Context) -> Nav:
    """The navigation of the current programme for the person signed in (`tab`: the page)."""
    request = context["request"]
    return programme_nav(
        perms=getattr(request, "programme_perms", frozenset()),
        roles=getattr(request, "programme_roles", frozenset()),
        tab=context.get("tab", ""),
        org_slug=context["current_organisation"].slug,
        programme_id=request.programme.pk,
    )

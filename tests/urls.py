"""The URLs tests ask for: a programme's pages by name, and every named URL pattern."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programmes.models import Programme


def programme_url(name: str, programme: Programme, *args: object) -> str:
    """The address of a programme's page, e.g. `programme_url("pairs:candidate", programme, 7)`."""
    return reverse(name, args=[programme.organisation.slug, programme.pk, *args])


def walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Yield (route, url name, pattern) for every named URL pattern, with its full route."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, route, ns)
        elif entry.name:
            yield route, namespace + entry.name, entry


def tenant_patterns() -> list[tuple[str, str, URLPattern]]:
    return [item for item in walk(get_resolver()) if item[0].startswith("o/<slug:org_slug>/")]

"""What the themes views share."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from organisations import actions

from ..services import ThemesError

PAGE_SIZE = 25

acted = partial(actions.acted, refused=ThemesError)
acted_saying = partial(actions.acted_saying, refused=ThemesError)
attempt = partial(actions.attempt, refused=ThemesError)


def back(request: HttpRequest, name: str, *args: object) -> HttpResponse:
    return redirect(name, request.organisation.slug, request.programme.pk, *args)

"""The health endpoint: each service, and how long ago the last sweep finished."""

import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)  # the checks run on threads of their own
def test_the_health_endpoint_reports_each_service_and_the_last_sweep(client):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.health import SWEEP_HEARTBEAT
    from notifications.models import Heartbeat
    from notifications.tasks import sweep

    never = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert never.status_code == 500
    assert never.json()["Sweep()"] == "Unavailable: No sweep has completed yet"
    sweep()
    healthy = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert healthy.status_code == 200, healthy.json()
    assert set(healthy.json()) == {
        "Database(alias='default')",
        "CacheServer()",
        "Broker()",
        "Sweep()",
    }
    assert healthy["Cache-Control"].startswith("max-age=0")
    Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).update(at=timezone.now() - timedelta(hours=2))
    stale = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert stale.status_code == 500
    assert stale.json()["Sweep()"] == "Unavailable: The last sweep completed 120 minutes ago"


@pytest.mark.django_db
def test_the_health_endpoint_answers_in_lines_of_text_unless_asked_for_json(client):
    from notifications.tasks import sweep

    sweep()
    healthy = client.get(reverse("health"))
    assert healthy.status_code == 200
    assert healthy["Content-Type"].startswith("text/plain")
    assert healthy.content.decode().splitlines() == [
        "Database(alias='default'): OK",
        "CacheServer(): OK",
        "Broker(): OK",
        "Sweep(): OK",
    ]
    assert client.get(reverse("health"), {"format": "json"}).json()["Sweep()"] == "OK"
    assert "Accept" in healthy["Vary"]


@pytest.mark.django_db
def test_a_check_that_breaks_makes_the_site_unhealthy_and_its_trace_goes_to_the_log(
    client, monkeypatch, caplog
):
    from notifications import health

    def broken() -> None:
        raise KeyError("a bug in the check")

    monkeypatch.setitem(health.CHECKS, "Broker()", broken)
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert response.json()["Broker()"] == "Unavailable: the check could not run (KeyError)"
    assert "a bug in the check" not in response.content.decode()
    assert "a bug in the check" in caplog.text

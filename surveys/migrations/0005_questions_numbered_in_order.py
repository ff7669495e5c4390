from django.db import migrations
from django_scopes import scopes_disabled


def positions_contiguous_and_keys_once(apps, schema_editor):
    """Before the constraints: each survey's questions numbered 0, 1, 2... in the order they were
    shown (position, then creation), and a key used twice in one survey kept by its first
    question only (pairing by key was ambiguous for the others)."""
    Question = apps.get_model("surveys", "Question")
    with scopes_disabled():
        changed = []
        seen: dict[int, set[str]] = {}
        previous_survey, position = None, 0
        for question in Question.objects.order_by("survey_id", "position", "pk"):
            if question.survey_id != previous_survey:
                previous_survey, position = question.survey_id, 0
            keys = seen.setdefault(question.survey_id, set())
            dirty = question.position != position
            question.position = position
            if question.key and question.key in keys:
                question.key, dirty = "", True
            keys.add(question.key)
            if dirty:
                changed.append(question)
            position += 1
        Question.objects.bulk_update(changed, ["position", "key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_response_linked_to_nobody_after_erasure"),
    ]

    operations = [
        migrations.RunPython(positions_contiguous_and_keys_once, migrations.RunPython.noop),
    ]

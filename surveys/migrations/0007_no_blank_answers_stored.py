"""Answers that say nothing (a text of spaces only) are no longer stored, and those stored
before say nothing in the one way the results leave out, as an erasure leaves them: an empty
text. The results count the other free-text answers as those who wrote one."""

from django.db import migrations


def empty_the_blank_answers(apps, schema_editor) -> None:
    Answer = apps.get_model("surveys", "Answer")
    texts = Answer.objects.filter(question__kind="text").values_list("pk", "value")
    blank = [pk for pk, value in texts.iterator() if isinstance(value, str) and not value.strip()]
    Answer.objects.filter(pk__in=blank).update(value="", may_quote=False)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0006_questions_in_order_and_keyed_once"),
    ]

    operations = [migrations.RunPython(empty_the_blank_answers, migrations.RunPython.noop)]

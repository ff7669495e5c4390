from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_questions_numbered_in_order"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                fields=("survey", "position"), name="question_position_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("key", ""), _negated=True),
                fields=("survey", "key"),
                name="question_key_once",
            ),
        ),
    ]

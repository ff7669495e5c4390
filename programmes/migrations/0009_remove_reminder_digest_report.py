from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programmes", "0008_move_to_notifications_and_reports")]

    operations = [
        migrations.DeleteModel(name="Reminder"),
        migrations.DeleteModel(name="Digest"),
        migrations.DeleteModel(name="ProgrammeReport"),
    ]

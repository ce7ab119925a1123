"""People who set up an authenticator app before recovery codes existed get an empty set of codes.

The set marks them as having set up a second factor: without it, an authenticator removed other than
by an administrator's reset would let anyone with their password set up a new one. They can get
codes on /account/two-factor/recovery-codes/ with a code from their app.
"""

from django.db import migrations


def mark_enrolled(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    users = TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True).distinct()
    have = set(RecoveryCodes.objects.values_list("user_id", flat=True))
    RecoveryCodes.objects.bulk_create(
        RecoveryCodes(user_id=user_id, name="Recovery codes") for user_id in users if user_id not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_recovery_codes_and_council_accounts"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(mark_enrolled, migrations.RunPython.noop)]

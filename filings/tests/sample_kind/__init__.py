"""A fifth kind that exists only in the tests (portal/tests/settings.py installs it).

It is made the way every kind is made: an app with its models, migrations, form, rules,
PDF template and `kind.py`, registered from its AppConfig. The fifth-kind test takes it
through the whole path without the shared machinery knowing it exists.
"""

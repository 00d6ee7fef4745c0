import os

# tests/emailsite runs against another site (an email user model); it needs its own settings
# module, so each half of the suite only collects the tests written for its settings.
if os.environ.get("DJANGO_SETTINGS_MODULE") == "config.settings_emailsite":
    collect_ignore_glob = ["test_*.py"]
else:
    collect_ignore = ["emailsite"]

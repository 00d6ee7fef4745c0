import os

# Each real site runs under its own settings module (tests/realsites/run.py, tox -e realsites),
# so a run collects only the tests of the site its settings serve, and none under the others.
_SITES = {
    "config.settings_admin": "admin_site",
    "config.settings_oscar": "oscar_site",
    "config.settings_two_factor": "two_factor_site",
}
_site = _SITES.get(os.environ.get("DJANGO_SETTINGS_MODULE", ""))
collect_ignore = [site for site in _SITES.values() if site != _site]

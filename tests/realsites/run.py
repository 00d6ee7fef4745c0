"""Drive each real third-party site with the kit, one pytest run per site's settings module.

    python tests/realsites/run.py [extra pytest arguments]

Every site runs even when an earlier one fails, so one run reports on the whole matrix; the exit
code is non-zero when any site failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# (settings module, tests, pytest options). Deprecations raised inside a site's own code are
# its maintainers' news, not the kit's, so those are let through by name, one per line.
SITES = [
    ("config.settings_admin", "tests/realsites/admin_site", []),
    (
        "config.settings_oscar",
        "tests/realsites/oscar_site",
        # Oscar 4.2's category templates call treebeard 7's deprecated Node.get_tree().
        ["-W", "ignore::treebeard.deprecation.RemovedInTreebeard8Warning"],
    ),
    ("config.settings_two_factor", "tests/realsites/two_factor_site", []),
    ("config.settings_allauth", "tests/allauth_site", []),
]


def main(extra: list[str]) -> int:
    # -W given to this script (tox passes them) becomes each pytest run's, where it belongs.
    warnings = [f"-W{option}" for option in sys.warnoptions]
    failed = []
    for settings, tests, options in SITES:
        pytest = ["-m", "pytest", "-q", f"--ds={settings}", tests, *options, *extra]
        print("$ python", " ".join(pytest), flush=True)
        if subprocess.call([sys.executable, *warnings, *pytest], cwd=ROOT):
            failed.append(settings)
    if failed:
        print("Failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

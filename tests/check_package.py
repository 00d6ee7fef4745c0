"""Install a built wheel into a fresh virtual environment and run the test project's suite.

    python tests/check_package.py DIST_DIR

Proves the wheel carries everything the kit needs: the suite imports the kit from the wheel,
never from this checkout.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(dist: Path) -> int:
    wheels = sorted(dist.glob("django_integration_kit-*.whl"))
    if len(wheels) != 1:
        print(f"Expected one wheel in {dist}, found {[w.name for w in wheels]}.")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        python = venv / "bin" / "python"
        subprocess.run(["uv", "venv", "-q", "-p", sys.executable, str(venv)], check=True)
        subprocess.run(
            ["uv", "pip", "install", "-q", "-p", str(python), f"{wheels[0]}[yaml]", "requests"],
            check=True,
        )
        where = subprocess.run(
            [str(python), "-c", "import django_integration_kit as k; print(k.__file__)"],
            check=True,
            capture_output=True,
            text=True,
            cwd=tmp,
        ).stdout.strip()
        print(f"The kit is imported from {where}")
        if not where.startswith(str(venv)):
            return 1
        return subprocess.call(
            [str(python), str(ROOT / "testproject" / "manage.py"), "test", "--noinput"],
            cwd=tmp,
        )


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

#!/usr/bin/env python
"""The test project's command line: ``python testproject/manage.py test``."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(HERE))
    # Test discovery starts in the working directory; start it in the project, wherever
    # manage.py is called from, so the kit's own tests/ are never picked up here.
    os.chdir(HERE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

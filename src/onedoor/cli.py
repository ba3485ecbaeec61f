"""`onedoor`: the console script. Every Django management command, plus demo/serve/worker/scheduler."""

import os
import sys


def main() -> None:
    default = "onedoor.settings.demo" if sys.argv[1:2] in (["demo"], ["loaddemo"]) else "onedoor.settings.production"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

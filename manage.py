#!/usr/bin/env python
import os
import sys


def main():
    # Never the development settings by accident: production refuses to start without its
    # variables; `make run` and the tests name their settings explicitly.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecertif.settings.prod")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

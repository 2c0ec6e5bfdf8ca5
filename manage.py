#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that only read or write the source tree (migrations, translations): they sign
# nothing, so they run without a production SECRET_KEY, as tooling and CI call them.
SOURCE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "help", "version"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.settings import refuse_development_key

    if sys.argv[1:2] and sys.argv[1] not in SOURCE_COMMANDS:
        refuse_development_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

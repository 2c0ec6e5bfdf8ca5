"""Logging filters named in settings.LOGGING."""

import logging


class WithoutTraceback(logging.Filter):
    """Keeps the message and drops the traceback: for expected refusals, such as a request
    for a host name not in ALLOWED_HOSTS, where the stack says nothing new."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True

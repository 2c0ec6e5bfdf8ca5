"""Posting at one moment from several sessions, each on its own database connection: how
the suite proves that writes hold under races (on PostgreSQL; SQLite lets one writer in)."""

import threading

from django.db import connections


def post_at_once(posts, timeout=30):
    """Each (session, url, data, follow) posted from its own thread, all released by one
    barrier; the responses, in the order they came back."""
    barrier = threading.Barrier(len(posts), timeout=timeout)
    responses = []

    def post(session, url, data, follow):
        try:
            barrier.wait()
            responses.append(session.post(url, data, follow=follow))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=args) for args in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses

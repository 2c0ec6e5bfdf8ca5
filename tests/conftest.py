import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.cast import build_cast


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Fast password hashing, and static files collected as in production.

    Collecting once per session lets every page render through the same manifest storage
    that production uses, so a reference to a missing static file fails a test.
    """
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STATIC_ROOT=static_root,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture
def cast(db):
    return build_cast()


def pytest_report_header():
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"

"""A large selection's workbook is prepared in the background (municipality.exports):
asked for, followed, downloaded by its user alone, failed loudly, and removed in time."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from grants.models import Grant
from municipality import exports
from municipality.models import Export, Role
from tests.grants.test_workbook import table

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def small_limit(settings):
    """Every selection of more than two grants goes to the background."""
    settings.EXPORT_DIRECT_MAX_GRANTS = 2


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def ask(client, user, **query):
    client.force_login(user)
    return client.post(reverse("grant_workbook"), {"sample_size": "2", "seed": "7", **query})


def test_a_large_selection_is_prepared_in_the_background_and_taken_by_its_user(client, cast, book):
    response = ask(client, cast.auditor, organisation=cast.other_org.pk)
    export = Export.objects.get()
    assert response.headers["Location"] == reverse("export_detail", args=[export.pk])
    assert export.status == Export.Status.WAITING
    assert ["Organisation", cast.other_org.name] in export.filters
    page = client.get(response.headers["Location"]).content.decode()
    assert "Väntar på sin tur." in page and 'role="status"' in page
    run_worker()
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    assert (export.sheet, export.done) == ("Ändringshistorik", export.total)
    assert export.seed == 7 and export.file_name.endswith("-startvarde-7.xlsx")
    state = client.get(reverse("export_detail", args=[export.pk]), {"format": "json"}).json()
    assert (state["state"], state["final"]) == ("ready", True)
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    granted = [row["Beviljat belopp"] for row in table(workbook["Beslut"])]
    wanted = Grant.objects.filter(organisation=cast.other_org)
    assert len(granted) == wanted.count() > 2
    assert sum(g or 0 for g in granted) == wanted.aggregate(s=Sum("granted_amount"))["s"]
    listed = client.get(reverse("export_list")).content.decode()
    assert reverse("export_download", args=[export.pk]) in listed and ">7<" in listed


def test_a_get_offers_the_background_and_writes_nothing(client, cast, book):
    client.force_login(cast.auditor)
    response = client.get(reverse("grant_workbook"), {"organisation": cast.other_org.pk})
    assert "Förbered arbetsboken" in response.content.decode()
    assert not Export.objects.exists() and not DBTaskResult.objects.exists()


def test_a_small_selection_is_still_answered_at_once(client, cast, book):
    response = ask(client, cast.auditor, organisation=cast.org.pk, year="2025")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Export.objects.exists()


def test_nobody_else_takes_the_file_and_its_user_not_after_losing_the_right(client, cast, book):
    ask(client, cast.auditor)
    export = Export.objects.get()
    run_worker()
    urls = [
        reverse("export_detail", args=[export.pk]),
        reverse("export_download", args=[export.pk]),
    ]
    for other in (cast.staff, cast.admin, cast.elected):
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert export.title not in client.get(reverse("export_list")).content.decode()
    cast.auditor.role = Role.REPRESENTATIVE
    cast.auditor.save()
    client.force_login(cast.auditor)
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_a_task_nobody_takes_up_says_it_waits_for_the_server(client, cast, book):
    ask(client, cast.auditor)
    export = Export.objects.get()
    url = reverse("export_detail", args=[export.pk])
    assert "väntar på servern" not in client.get(url).content.decode()
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    page = client.get(url).content.decode()
    assert "Uttaget väntar på servern" in page and "db_worker" in page
    assert client.get(url, {"format": "json"}).json()["state"] == "unclaimed"


def test_a_failure_is_shown_as_failed_never_as_endless_progress(client, cast, book, monkeypatch):
    def broken(export, progress):
        progress.sheet("Beslut", 10)
        raise RuntimeError("disk full")

    monkeypatch.setitem(
        exports.KINDS, "grant_workbook", exports.Kind("grant_workbook", "x", broken, bool)
    )
    ask(client, cast.auditor)
    export = Export.objects.get()
    run_worker()
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED and "disk full" in export.error
    page = client.get(reverse("export_detail", args=[export.pk])).content.decode()
    assert "Uttaget kunde inte göras klart" in page
    assert 'href="/uttag/' not in page.split("Uttaget kunde inte")[1].split("</section>")[0]


def test_a_worker_that_went_quiet_is_a_failure(cast):
    export = Export.objects.create(
        user=cast.auditor,
        kind="grant_workbook",
        title="Arbetsbok",
        status=Export.Status.RUNNING,
        progressed_at=timezone.now() - datetime.timedelta(minutes=6),
    )
    assert exports.shown(export)[0] == "failed"
    export.progressed_at = timezone.now()
    assert exports.shown(export)[0] == "running"


def test_an_expired_file_is_removed_by_its_scheduled_task_and_the_removal_logged(
    client, cast, book, caplog, settings
):
    ask(client, cast.auditor)
    run_worker()
    export = Export.objects.get()
    scheduled = DBTaskResult.objects.get(task_path="municipality.exports.remove_expired")
    assert scheduled.run_after - export.finished_at == datetime.timedelta(days=7)
    assert exports.remove_expired_files() == 0  # not yet
    later = export.finished_at + datetime.timedelta(days=7, minutes=1)
    with caplog.at_level(logging.INFO, logger="municipality.exports"):
        assert exports.remove_expired_files(now=later) == 1
    export.refresh_from_db()
    assert (export.status, export.data) == (Export.Status.REMOVED, None)
    assert f"Export {export.pk} removed" in caplog.text and str(cast.auditor) in caplog.text
    client.force_login(cast.auditor)
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404
    page = client.get(reverse("export_detail", args=[export.pk])).content.decode()
    assert "Filen har tagits bort" in page


def test_a_file_is_withdrawn_when_its_user_moves_to_another_administration(client, cast, book):
    """Written under ASF's reach, the file is not the civil servant's to take once they
    work at Fritidsförvaltningen instead: the rule is asked again at download."""
    from municipality.models import Membership

    response = ask(client, cast.staff)
    assert response.status_code == 302
    run_worker()
    export = Export.objects.get()
    assert export.status == Export.Status.READY and export.reach["administration_ids"]
    download = reverse("export_download", args=[export.pk])
    assert client.get(download).status_code == 200
    Membership.objects.filter(user=cast.staff).delete()
    Membership.objects.create(user=cast.staff, body=cast.frf)
    client.force_login(cast.staff)
    assert client.get(download).status_code == 404
    assert client.get(reverse("export_detail", args=[export.pk])).status_code == 404
    listed = client.get(reverse("export_list")).content.decode()
    assert download not in listed
    assert reverse("export_detail", args=[export.pk]) not in listed
    assert "Dina behörigheter har ändrats" in listed
    Membership.objects.create(user=cast.staff, body=cast.asf)
    assert client.get(download).status_code == 200

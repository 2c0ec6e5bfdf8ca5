"""Personal data: every field declared, and removal that reaches every copy, proven by
searching every text column of every table afterwards."""

import datetime
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.urls import reverse

from dialogues.models import Meeting
from municipality import personal_data
from municipality.models import PrivacyNotice, RegisterExtract, RetentionRun, User
from partners.models import ContactPerson, ReminderSent

OWN_APPS = {"municipality", "partners", "dialogues", "grants"}


def own_models():
    for model in apps.get_models():
        if model._meta.app_label in OWN_APPS and not model.__name__.startswith("Historical"):
            yield model


def needs_declaring(field):
    """Free text, and links to a person's account, may hold personal data."""
    if field.is_relation:
        return field.many_to_one and field.related_model is apps.get_model(settings.AUTH_USER_MODEL)
    return isinstance(field, models.CharField | models.TextField) and not field.choices


@pytest.mark.parametrize("model", list(own_models()), ids=lambda m: m._meta.label)
def test_every_text_field_and_user_link_is_declared(model):
    declared = getattr(model, "personal_data", None)
    assert declared is not None, "declare personal_data on the model"
    fields = {f.name for f in model._meta.concrete_fields if needs_declaring(f)}
    assert set(declared) == fields
    assert {key for key in declared.values() if key} <= set(personal_data.CATEGORIES)


def text_columns():
    """(table, column) of every text column of every table, history tables included."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            for column in introspection.get_table_description(cursor, table):
                kind = introspection.get_field_type(column.type_code, column)
                if kind in ("CharField", "TextField"):
                    yield table, column.name


def found_anywhere(*needles):
    """Every (table, column, needle) where a text column contains a needle, ignoring case."""
    columns = {}
    for table, column in text_columns():
        columns.setdefault(table, []).append(column)
    assert "email" in columns["partners_contactperson"]
    quote = connection.ops.quote_name
    hits = set()
    with connection.cursor() as cursor:
        for table, names in columns.items():
            cursor.execute(f"SELECT {', '.join(map(quote, names))} FROM {quote(table)}")
            for row in cursor.fetchall():
                for column, value in zip(names, row, strict=True):
                    for needle in needles:
                        if value and needle.lower() in value.lower():
                            hits.add((table, column, needle))
    return sorted(hits)


def leave_traces(client, cast, mailoutbox):
    """The contact person everywhere a copy can land: history (with an old address),
    invitation recipients, feedback recipients and their history, reminder recipients."""
    contact = cast.contact
    contact.phone = "070-123 45 67"
    contact.email = "omar.gammal@example.se"
    contact.save()
    contact.email = "omar@example.se"
    contact.save()
    client.force_login(cast.staff)
    Meeting.objects.filter(pk=cast.meeting.pk).update(status="planned", sequence=0)
    assert client.post(reverse("meeting_invitations", args=[cast.meeting.pk])).status_code == 302
    observation = cast.observation
    observation.status, observation.response = "handled", "Fler platser öppnas."
    observation.handled_on = datetime.date(2026, 4, 1)
    observation.forwarded_to = cast.asn
    observation.save()
    client.post(reverse("observation_notify", args=[observation.pk]))
    ReminderSent.objects.create(
        partnership=cast.partnership, kind="ending", key="2026-12-31",
        recipients="Omar Saleh <omar@example.se>",
    )  # fmt: skip
    LogEntry.objects.create(
        user=cast.admin, content_type=ContentType.objects.get_for_model(ContactPerson),
        object_id=str(contact.pk), object_repr="Omar Saleh", action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["E-post"]}}]',
    )  # fmt: skip
    assert len(mailoutbox) == 2
    needles = ("Omar Saleh", "omar@example.se", "omar.gammal@example.se", "070-123 45 67")
    assert {hit[2] for hit in found_anywhere(*needles)} == set(needles)
    return needles


def test_removing_a_contact_person_leaves_no_copy_anywhere(client, cast, mailoutbox):
    needles = leave_traces(client, cast, mailoutbox)
    response = client.post(reverse("contact_delete", args=[cast.contact.pk]))
    assert response.status_code == 302
    assert found_anywhere(*needles) == []
    assert not ContactPerson.objects.filter(pk=cast.contact.pk).exists()
    # What was sent is still on record, without the person.
    message = cast.meeting.calendar_messages.get()
    assert personal_data.REMOVED in message.recipients and "Röda Korset" in message.recipients
    assert "Peter Wall" in str(found_anywhere("Peter Wall"))


def test_a_bulk_delete_reaches_every_copy_too(client, cast, mailoutbox):
    """The admin's "delete selected" and its inline rows delete through the queryset."""
    needles = leave_traces(client, cast, mailoutbox)
    assert ContactPerson.objects.filter(pk=cast.contact.pk).delete()[0] == 1
    assert found_anywhere(*needles) == []


def test_an_organisation_with_contact_persons_cannot_be_deleted(cast):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        cast.org.delete()
    assert ContactPerson.objects.filter(pk=cast.contact.pk).exists()


def test_a_contact_persons_extract_holds_every_copy_and_is_recorded(client, cast, mailoutbox):
    leave_traces(client, cast, mailoutbox)
    url = reverse("contact_extract", args=[cast.contact.pk])
    page = client.get(url).content.decode()
    for text in ("Registerutdrag", "omar@example.se", "omar.gammal@example.se", "070-123 45 67"):
        assert text in page
    assert "Mottagare" in page and "Återkoppling skickad till" in page
    download = client.get(url, {"format": "json"})
    assert download["Content-Disposition"].startswith('attachment; filename="registerutdrag-')
    data = json.loads(download.content)
    assert data["subject"] == "Omar Saleh"
    assert "omar.gammal@example.se" in json.dumps(data, ensure_ascii=False)
    logged = RegisterExtract.objects.order_by("made_at")
    assert [(e.made_by, e.subject, e.subject_id) for e in logged] == [
        (cast.staff, "contact_person", cast.contact.pk)
    ] * 2


def test_a_user_accounts_extract_names_every_record_that_names_them(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("user_extract", args=[cast.staff.pk])).content.decode()
    assert cast.staff.username in page
    assert cast.asf.name in page  # the membership
    assert RegisterExtract.objects.get().subject == "user"


def test_the_record_of_processing_lists_every_declared_field(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("processing_record")).content.decode()
    for model, field, category in personal_data.personal_fields():
        assert str(category.label) in page
        what = model._meta.verbose_name_plural.capitalize()
        assert f"<td>{what}</td><td>{field.verbose_name}</td>" in page
    assert "Mottagare av inbjudningar, påminnelser och återkoppling" in page
    assert "Kontaktpersoner" in page


def test_representatives_do_not_choose_the_legal_basis(client, cast):
    url = reverse("contact_update", args=[cast.contact.pk])
    client.force_login(cast.representative)
    form = client.get(url).context["form"]
    assert "legal_basis" not in form.fields
    data = {"name": "Omar Saleh", "email": "omar@example.se", "legal_basis": "consent"}
    assert client.post(url, data).status_code == 302
    cast.contact.refresh_from_db()
    assert cast.contact.legal_basis == "public_task"
    client.force_login(cast.staff)
    assert "legal_basis" in client.get(url).context["form"].fields


def test_the_privacy_notice_is_the_users_municipalitys_and_linked_from_forms(client, cast):
    PrivacyNotice.objects.create(
        municipality=cast.malmo, controller="Kommunstyrelsen i Malmö", contact="dso@malmo.example"
    )
    PrivacyNotice.objects.create(
        municipality=cast.kalmar,
        controller="Kommunstyrelsen i Kalmar",
        contact="dso@kalmar.example",
    )
    anonymous = client.get(reverse("privacy_notice")).content.decode()
    assert "Kommunstyrelsen i Malmö" in anonymous and "Kommunstyrelsen i Kalmar" in anonymous
    assert "Organisationers kontaktpersoner" in anonymous  # from the declarations
    client.force_login(cast.representative)
    own = client.get(reverse("privacy_notice")).content.decode()
    assert "Kommunstyrelsen i Malmö" in own and "Kalmar" not in own
    form = client.get(reverse("contact_create", args=[cast.org.pk])).content.decode()
    assert reverse("privacy_notice") in form and "Så behandlar vi personuppgifter" in form


def test_gallring_thins_out_old_personal_data_and_logs_counts_only(client, cast, mailoutbox):
    leave_traces(client, cast, mailoutbox)
    Meeting.objects.filter(pk=cast.meeting.pk).update(
        internal_participants="Anna Ek, Bo Ek", minutes="Vi talade om härbärget."
    )
    ContactPerson.objects.create(organisation=cast.other_org, name="Kvar Kvarsson")
    cast.org.archive(cast.staff)
    counts = personal_data.gallra(today=datetime.date(2026, 6, 1))
    assert set(counts.values()) == {0}  # nothing is old enough yet

    later = datetime.date(2026 + 6, 6, 1)  # the meeting was 2026-03-12; org archived now
    assert personal_data.gallra(today=later, dry_run=True) == {
        "exports": 0,
        "contact_persons": 1,
        "reminder_recipients": 1,
        "meeting_participants": 1,
        "invitation_recipients": 1,
        "feedback_recipients": 1,
        "user_lists": 0,
        "register_files": 0,
    }
    assert RetentionRun.objects.count() == 1 and ContactPerson.objects.count() == 3
    assert "Anna Ek" in str(found_anywhere("Anna Ek"))

    personal_data.gallra(today=later)
    assert found_anywhere("Omar Saleh", "omar@example.se", "Anna Ek") == []
    assert ContactPerson.objects.filter(name="Kvar Kvarsson").exists()
    assert cast.meeting.calendar_messages.get().recipients == personal_data.THINNED
    cast.meeting.refresh_from_db()  # the minutes are an allmän handling, and stay
    assert cast.meeting.minutes == "Vi talade om härbärget."
    run = RetentionRun.objects.first()
    assert run.counts["contact_persons"] == 1 and "Omar" not in str(run.counts)

    client.force_login(cast.staff)
    page = client.get(reverse("retention_log")).content.decode()
    assert "Kontaktpersoner till organisationer som länge varit inaktiva" in page
    assert personal_data.gallra(today=later) == dict.fromkeys(counts, 0)  # safe to repeat


def test_the_gallra_command_dry_run_changes_nothing(cast):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("gallra", "--dry-run", stdout=out)
    assert "Torrkörning: ingenting ändrades." in out.getvalue()
    assert RetentionRun.objects.count() == 0


def user_with_traces(cast):
    user = User.objects.create(
        username="glindqvist", first_name="Greta", last_name="Lindqvist",
        email="greta.lindqvist@malmo.example", role="civil_servant", municipality=cast.malmo,
    )  # fmt: skip
    Meeting.objects.filter(pk=cast.meeting.pk).update(internal_participants="Greta Lindqvist")
    ReminderSent.objects.create(
        partnership=cast.partnership, kind="notice", key="2026-06-30",
        recipients="Greta Lindqvist <greta.lindqvist@malmo.example>",
    )  # fmt: skip
    assert len(found_anywhere("Greta Lindqvist", "greta.lindqvist@malmo.example")) == 4
    return user


def test_the_admin_anonymises_a_user_everywhere(client, cast):
    user = user_with_traces(cast)
    client.force_login(cast.admin)
    changelist = reverse("admin:municipality_user_changelist")
    assert reverse("user_extract", args=[user.pk]) in client.get(changelist).content.decode()
    client.post(changelist, {"action": "anonymise_selected", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert (user.username, user.is_active, user.has_usable_password()) == (
        f"borttagen-{user.pk}",
        False,
        False,
    )
    assert found_anywhere("Greta Lindqvist", "greta.lindqvist@malmo.example", "Lindqvist") == []


def test_deleting_a_user_leaves_no_copy(cast):
    user = user_with_traces(cast)
    user.delete()
    assert found_anywhere("Greta Lindqvist", "greta.lindqvist@malmo.example") == []

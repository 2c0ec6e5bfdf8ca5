"""Inviting users in bulk from a file: upload, preview, confirm; all rows or none, by the
same rules as the admin's forms, and each invitation sent only after the commit."""

import csv
import io
import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from municipality import user_import
from municipality.models import Membership, Role, User, UserImport
from partners.models import Representative
from tests.import_steps import mapping_choices
from tests.test_access_post import changed_tables, snapshot

HEADER = ["förnamn", "efternamn", "e-post", "roll", "kommun", "nämnder/förvaltningar"]


def csv_file(rows, *, header=HEADER, encoding="cp1252", delimiter=";"):
    """As Swedish Excel saves it: semicolons, Windows-1252, quotes where needed."""
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return output.getvalue().encode(encoding)


def xlsx_file(rows, *, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


STAFF_ROW = [
    "Åsa",
    "Öberg",
    "asa.oberg@malmo.se",
    "Tjänsteperson",
    "Malmö stad",
    "Arbetsmarknads- och socialförvaltningen",
]
ELECTED_ROW = [
    "Bo",
    "Ek",
    "bo.ek@malmo.se",
    "Förtroendevald",
    "1280",
    "Fritidsnämnden; Arbetsmarknads- och socialnämnden",
]


def upload(client, data, name="anvandare.csv"):
    return client.post(reverse("user_import"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def preview(client, data, name="anvandare.csv"):
    """Upload, take the mapping step as pre-filled, and follow to the preview; the
    response and its plan."""
    response = upload(client, data, name)
    assert response.status_code == 302, response.context and response.context["form"].errors
    columns = client.get(response["Location"])
    response = client.post(response["Location"], mapping_choices(columns))
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response["Location"])
    return page, page.context["plan"]


def confirm(client, page):
    record, plan = page.context["record"], page.context["plan"]
    return client.post(
        reverse("user_import_preview", args=[record.pk]),
        {"digest": record.digest, "plan": plan.fingerprint()},
    )


def problems(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        Representative.objects.count(),
    )


def test_a_file_is_previewed_then_imported_and_each_user_invited(client, cast, mailoutbox):
    client.force_login(cast.admin)
    before = counts()
    page, plan = preview(client, csv_file([STAFF_ROW, ELECTED_ROW]))
    assert problems(plan) == []
    assert [(p.row, p.user.username, p.user.role, p.describe()) for p in plan.create] == [
        (
            2,
            "asa.oberg@malmo.se",
            Role.CIVIL_SERVANT,
            ["Arbetsmarknads- och socialförvaltningen (förvaltning)"],
        ),
        (
            3,
            "bo.ek@malmo.se",
            Role.ELECTED,
            ["Fritidsnämnden (nämnd)", "Arbetsmarknads- och socialnämnden (nämnd)"],
        ),
    ]
    text = page.content.decode()
    assert "2 användare skapas och bjuds in." in text
    assert "Skapa 2 användare och skicka inbjudningarna" in text
    assert counts() == before and mailoutbox == []  # a preview creates nothing

    response = confirm(client, page)
    assert response.status_code == 302
    asa = User.objects.get(username="asa.oberg@malmo.se")
    assert (asa.first_name, asa.last_name, asa.municipality, asa.has_usable_password()) == (
        "Åsa",
        "Öberg",
        cast.malmo,
        False,
    )
    assert list(asa.memberships.values_list("body__name", flat=True)) == [
        "Arbetsmarknads- och socialförvaltningen"
    ]
    assert counts() == (before[0] + 2, before[1] + 3, before[2])
    assert sorted(m.to[0].rsplit("<")[1] for m in mailoutbox) == [
        "asa.oberg@malmo.se>",
        "bo.ek@malmo.se>",
    ]
    done = client.get(response["Location"]).content.decode()
    assert "2 användare skapades." in done
    record = UserImport.objects.get()
    assert (bytes(record.data), record.not_invited) == (b"", [])  # the file is let go


def test_the_same_file_again_creates_nothing(client, cast, mailoutbox):
    client.force_login(cast.admin)
    data = csv_file([STAFF_ROW, ELECTED_ROW])
    confirm(client, preview(client, data)[0])
    mailoutbox.clear()
    before = snapshot()
    page, plan = preview(client, data)
    assert (len(plan.create), [p.row for p in plan.unchanged], problems(plan)) == (0, [2, 3], [])
    assert "Det finns inget att importera" in page.content.decode()
    response = confirm(client, page)  # even if someone posts it
    assert response.status_code == 302
    assert changed_tables(before, snapshot()) == ["municipality.UserImport"]
    assert mailoutbox == []


def test_one_bad_row_means_no_user_no_membership_no_mail(client, cast, mailoutbox):
    client.force_login(cast.admin)
    bad = ["Eva", "Ek", "eva.ek@malmo.se", "Tjänsteperson", "Malmö stad", "Fritidsnämnden"]
    page, plan = preview(client, csv_file([STAFF_ROW, ELECTED_ROW, bad]))
    assert problems(plan) == [
        (4, "nämnder/förvaltningar", "En tjänsteperson hör till en förvaltning.")
    ]
    assert "och skicka inbjudan" not in page.content.decode()
    before = snapshot()
    record = page.context["record"]
    response = client.post(
        reverse("user_import_preview", args=[record.pk]),
        {"digest": record.digest, "plan": plan.fingerprint()},
    )
    assert response.status_code == 302
    assert changed_tables(before, snapshot()) == []
    assert mailoutbox == []
    assert not User.objects.filter(email__endswith="@malmo.se").exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["Eva", "Ek", "eva@malmo.se", "Tjänsteperson", "Malmö stad", "Fritidsnämnden"],
            [("nämnder/förvaltningar", "En tjänsteperson hör till en förvaltning.")],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Förtroendevald", "Malmö stad", "Fritidsförvaltningen"],
            [("nämnder/förvaltningar", "En förtroendevald sitter i en nämnd.")],
        ),
        (
            [
                "Eva",
                "Ek",
                "eva@malmo.se",
                "Organisationsföreträdare",
                "Malmö stad",
                "Fritidsförvaltningen",
            ],
            [
                (
                    "nämnder/förvaltningar",
                    "Bara tjänstepersoner och förtroendevalda hör till nämnder och förvaltningar.",
                ),
                ("organisation", "Fyll i vilken organisation företrädaren företräder."),
            ],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Tjänsteperson", "Malmö stad", "Gatukontoret"],
            [
                (
                    "nämnder/förvaltningar",
                    "Okänd nämnd eller förvaltning ”Gatukontoret” i Malmö stad.",
                )
            ],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Tjänsteperson", "Malmö stad", "Socialförvaltningen"],
            [
                (
                    "nämnder/förvaltningar",
                    "Okänd nämnd eller förvaltning ”Socialförvaltningen” i Malmö stad.",
                )
            ],
        ),
        (
            ["Eva", "Ek", "eva(at)malmo.se", "Tjänsteperson", "Malmö stad", ""],
            [("e-post", "Fyll i en giltig e-postadress.")],
        ),
        (
            ["Eva", "Ek", "staff@example.se", "Tjänsteperson", "Malmö stad", ""],
            [
                (
                    "e-post",
                    "Det finns redan en användare med den här e-postadressen (användarnamn "
                    "”staff”) med andra uppgifter: förnamn, efternamn, nämnder/förvaltningar. "
                    "Ändra användaren i administrationen, eller låt raden säga det som står i "
                    "registret.",
                )
            ],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Chef", "Malmö stad", ""],
            [
                (
                    "roll",
                    "Okänd roll ”Chef”. Skriv en av: Tjänsteperson, Förtroendevald, "
                    "Organisationsföreträdare, Revisor, Administratör.",
                )
            ],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Tjänsteperson", "", ""],
            [("kommun", "Fyll i kommun: registret har fler än en.")],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Tjänsteperson", "Lund", ""],
            [("kommun", "Okänd kommun ”Lund”.")],
        ),
        (
            ["", "Ek", "eva@malmo.se", "Revisor", "Malmö stad", ""],
            [("förnamn", "Fyll i förnamn.")],
        ),
        (
            ["Eva", "Ek", "eva@malmo.se", "Administratör", "", "Fritidsnämnden"],
            [
                (
                    "nämnder/förvaltningar",
                    "Bara tjänstepersoner och förtroendevalda hör till nämnder och förvaltningar.",
                )
            ],
        ),
        (
            ["E" * 151, "Ek", "eva@malmo.se", "Revisor", "Malmö stad", ""],
            [("förnamn", "Säkerställ att detta värde har som mest 150 tecken (den har 151).")],
        ),
    ],
    ids=[
        "staff on a nämnd",
        "elected in a förvaltning",
        "representative in a förvaltning",
        "unknown body",
        "body of another municipality",
        "bad e-mail",
        "e-mail of an existing user",
        "unknown role",
        "no municipality among several",
        "unknown municipality",
        "no first name",
        "administrator on a nämnd",
        "a name too long",
    ],
)
def test_each_rule_is_a_row_error_and_nothing_is_written(client, cast, row, expected):
    client.force_login(cast.admin)
    before = counts()
    _page, plan = preview(client, csv_file([STAFF_ROW, row]))
    assert problems(plan) == [(3, column, message) for column, message in expected]
    assert counts() == before


def test_a_row_the_admin_could_not_save_is_refused_for_representatives_too(client, cast):
    client.force_login(cast.admin)
    header = [*HEADER, "organisation", "behörighet"]
    rows = [
        [
            "Cecilia",
            "Ek",
            "cecilia@forening.se",
            "Organisationsföreträdare",
            "Malmö stad",
            "",
            "802002-3431",
            "firmatecknare",
        ],
        [
            "Dan",
            "Ek",
            "dan@malmo.se",
            "Tjänsteperson",
            "Malmö stad",
            "Fritidsförvaltningen",
            "Röda Korset Malmö krets",
            "",
        ],
        [
            "Ebba",
            "Ek",
            "ebba@forening.se",
            "Organisationsföreträdare",
            "Malmö stad",
            "",
            "Kalmar Stadsmission",
            "",
        ],
        [
            "Filip",
            "Ek",
            "filip@forening.se",
            "Organisationsföreträdare",
            "Malmö stad",
            "",
            "Brukarföreningen Malmö",
            "ombud",
        ],
    ]
    _page, plan = preview(client, csv_file(rows, header=header))
    assert problems(plan) == [
        (
            3,
            "organisation",
            "Bara en användare med rollen organisationsföreträdare kan kopplas till en "
            "organisation.",
        ),
        (4, "organisation", "Okänd organisation ”Kalmar Stadsmission” i Malmö stad."),
        (5, "behörighet", "Skriv firmatecknare eller fullmakt."),
    ]
    (cecilia,) = plan.create
    assert cecilia.describe() == ["Röda Korset Malmö krets (firmatecknare)"]


def test_a_representative_row_imports_its_representation(client, cast, mailoutbox):
    client.force_login(cast.admin)
    header = [*HEADER, "organisation"]
    row = [
        "Cecilia",
        "Ek",
        "cecilia@forening.se",
        "Organisationsföreträdare",
        "Malmö stad",
        "",
        "Röda Korset Malmö krets; Brukarföreningen Malmö",
    ]
    confirm(client, preview(client, csv_file([row], header=header))[0])
    cecilia = User.objects.get(email="cecilia@forening.se")
    assert sorted(cecilia.representations.values_list("organisation__name", "authorisation")) == [
        ("Brukarföreningen Malmö", "power_of_attorney"),
        ("Röda Korset Malmö krets", "power_of_attorney"),
    ]
    assert len(mailoutbox) == 1


def test_duplicates_within_the_file_are_row_errors(client, cast):
    client.force_login(cast.admin)
    again = ["Åsa", "Ek", "ASA.OBERG@malmo.se", "Revisor", "Malmö stad", ""]
    same_name = ["Åsa", "Ek", "asa2@malmo.se", "Revisor", "Malmö stad", "", "asa"]
    first = ["Åsa", "Ek", "asa3@malmo.se", "Revisor", "Malmö stad", "", "asa"]
    header = [*HEADER, "användarnamn"]
    _page, plan = preview(
        client, csv_file([[*STAFF_ROW, ""], again, first, same_name], header=header)
    )
    assert problems(plan) == [
        (3, "e-post", "Samma e-postadress som på rad 2: en användare per adress."),
        (5, "användarnamn", "Samma användarnamn som på rad 4."),
    ]


def test_a_user_name_taken_by_another_user_is_a_row_error(client, cast):
    client.force_login(cast.admin)
    header = [*HEADER, "användarnamn"]
    row = ["Eva", "Ek", "eva@malmo.se", "Revisor", "Malmö stad", "", "staff"]
    _page, plan = preview(client, csv_file([row], header=header))
    assert problems(plan) == [
        (2, "användarnamn", "En användare med det användarnamnet finns redan.")
    ]


def test_an_xlsx_file_with_formulas_and_huge_cells_is_read_and_its_cells_refused(client, cast):
    client.force_login(cast.admin)
    rows = [
        [
            "Åsa",
            "Öberg",
            '=HYPERLINK("https://example.com","asa@malmo.se")',
            "Tjänsteperson",
            "Malmö stad",
            "Arbetsmarknads- och socialförvaltningen",
        ],
        ["Bo", "x" * 5000, "bo@malmo.se", "Revisor", "Malmö stad", ""],
        ["Cia\nEk", "Ek", "cia@malmo.se", "Revisor", "Malmö stad", ""],
    ]
    _page, plan = preview(client, xlsx_file(rows), name="anvandare.xlsx")
    assert [(row, column) for row, column, _ in problems(plan)] == [
        (2, "e-post"),
        (3, "efternamn"),
        (4, "förnamn"),
    ]
    assert problems(plan)[0][2].startswith("Cellen innehåller en formel (=HYPERLINK(")
    assert problems(plan)[2][2] == "Skriv detta på en rad, utan radbrytningar."
    assert plan.create == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Den skickade filen är tom."),  # Django's own refusal
        (b"\r\n  \r\n", "Filen är tom."),
        (bytes(range(256)) * 8, "Filen är inte ett kalkylark"),
        (b"PK\x03\x04" + bytes(300), "Filen är inte ett kalkylark"),
        ("Åsa;Öberg;asa@malmo.se\r\n".encode("cp1252"), "Hittade inga kända kolumnrubriker"),
        (
            "förnamn,efternamn,e-post,roll\r\nÅsa,Öberg,asa@malmo.se,Revisor,x\r\n".encode(),
            None,
        ),  # comma and UTF-8 are read
    ],
    ids=[
        "nothing",
        "empty",
        "garbage",
        "broken zip",
        "no header",
        "comma-separated",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(client, cast, data, message):
    client.force_login(cast.admin)
    before = snapshot()
    response = upload(client, data)
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_missing_columns_are_asked_for_in_the_mapping_step(client, cast):
    client.force_login(cast.admin)
    response = upload(client, "förnamn;efternamn\r\nÅsa;Öberg\r\n".encode())
    page = client.get(response["Location"])
    before = snapshot()
    response = client.post(response["Location"], mapping_choices(page))
    assert response.context["form"].non_field_errors() == [
        "Välj kolumnen som innehåller ”E-post”: importen behöver den.",
        "Välj kolumnen som innehåller ”Roll”: importen behöver den.",
    ]
    assert changed_tables(before, snapshot()) == []


def test_an_oversized_upload_is_refused(client, cast):
    client.force_login(cast.admin)
    response = upload(client, b"x" * (5 * 1024 * 1024 + 1))
    assert "Filen är för stor: högst 5 MB kan importeras åt gången." in response.content.decode()
    assert not UserImport.objects.exists()


def test_the_confirmation_imports_only_the_previewed_file(client, cast, mailoutbox):
    client.force_login(cast.admin)
    page, plan = preview(client, csv_file([STAFF_ROW]))
    record = page.context["record"]
    UserImport.objects.filter(pk=record.pk).update(data=csv_file([ELECTED_ROW]))  # swapped
    before = snapshot()
    response = client.post(
        reverse("user_import_preview", args=[record.pk]),
        {"digest": record.digest, "plan": plan.fingerprint()},
    )
    assert response.status_code == 302
    assert changed_tables(before, snapshot()) == []
    assert mailoutbox == []


def test_the_confirmation_is_refused_if_the_register_changed_since_the_preview(client, cast):
    client.force_login(cast.admin)
    page, plan = preview(client, csv_file([STAFF_ROW]))
    record = page.context["record"]
    response = client.post(
        reverse("user_import_preview", args=[record.pk]),
        {"digest": record.digest, "plan": "0" * 64},
    )
    assert response.status_code == 302
    assert not User.objects.filter(email="asa.oberg@malmo.se").exists()
    message = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert message == [
        "Inget importerades: filen eller registret har ändrats sedan förhandsgranskningen. "
        "Granska förhandsvisningen nedan och bekräfta igen."
    ]
    response = client.post(
        reverse("user_import_preview", args=[record.pk]),
        {"digest": "f" * 64, "plan": plan.fingerprint()},
    )
    assert not User.objects.filter(email="asa.oberg@malmo.se").exists()


def test_another_administrators_import_is_not_found(client, cast):
    client.force_login(cast.admin)
    page, _plan = preview(client, csv_file([STAFF_ROW]))
    other = User.objects.create_superuser("annan.admin", "annan@kommun.se", "x")
    client.force_login(other)
    url = reverse("user_import_preview", args=[page.context["record"].pk])
    assert client.get(url).status_code == 404


class RefusingBackend:
    """A mail server that takes nothing."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")


def test_failed_invitations_are_shown_and_logged_with_the_user_id_only(
    client, cast, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    client.force_login(cast.admin)
    page, _plan = preview(client, csv_file([STAFF_ROW, ELECTED_ROW]))
    with caplog.at_level(logging.ERROR, logger="municipality.invitations"):
        response = confirm(client, page)
    users = User.objects.filter(email__endswith="@malmo.se").order_by("pk")
    assert users.count() == 2  # created all the same: the mail comes later
    logged = [r for r in caplog.records if r.name == "municipality.invitations"]
    assert [r.getMessage() for r in logged] == [
        f"The invitation to user {user.pk} could not be sent" for user in users
    ]
    assert "malmo.se" not in caplog.text and "Öberg" not in caplog.text
    done = client.get(response["Location"]).content.decode()
    assert "Inbjudningarna till 2 användare kunde inte skickas" in done
    assert reverse("admin:municipality_user_change", args=[users[0].pk]) in done
    assert UserImport.objects.get().not_invited == [user.pk for user in users]


def test_with_one_municipality_the_column_may_be_left_out(client, db):
    from municipality.models import Body, Municipality

    lund = Municipality.objects.create(name="Lunds kommun", code="1281")
    Body.objects.create(municipality=lund, name="Socialförvaltningen", kind="administration")
    client.force_login(User.objects.create_superuser("it", "it@lund.se", "x"))
    header = ["Förnamn", "Efternamn", "E-postadress", "Roll", "Nämnd"]
    row = ["Åsa", "Öberg", "asa.oberg@lund.se", "tjänsteperson", "SOCIALFÖRVALTNINGEN"]
    _page, plan = preview(client, csv_file([row], header=header, encoding="utf-8-sig"))
    assert problems(plan) == []
    assert plan.create[0].user.municipality == lund


def test_the_template_lists_the_columns_and_imports_as_it_is(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("user_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "förnamn",
        "efternamn",
        "e-post",
        "roll",
        "kommun",
        "nämnder/förvaltningar",
        "användarnamn",
        "organisation",
        "behörighet",
    ]
    _page, plan = preview(client, response.content, name="mall.xlsx")
    assert problems(plan) == []
    assert [p.user.role for p in plan.create] == [
        Role.CIVIL_SERVANT,
        Role.ELECTED,
        Role.REPRESENTATIVE,
    ]


def test_the_page_is_linked_from_users_and_roles_and_the_admins_user_list(client, cast):
    client.force_login(cast.admin)
    url = reverse("user_import")
    assert url in client.get(reverse("user_list")).content.decode()
    assert url in client.get(reverse("admin:municipality_user_changelist")).content.decode()
    page = client.get(url).content.decode()
    assert reverse("user_import_template") in page and "nämnder/förvaltningar" in page


@pytest.mark.parametrize("person", ["staff", "elected", "representative", "auditor"])
def test_every_role_but_the_administrator_is_refused(client, cast, mailoutbox, person):
    client.force_login(cast.admin)
    page, plan = preview(client, csv_file([STAFF_ROW]))
    record = page.context["record"]
    client.force_login(getattr(cast, person))
    before = snapshot()
    urls = [
        reverse("user_import"),
        reverse("user_import_template"),
        reverse("user_import_preview", args=[record.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert (
        client.post(
            urls[0], {"file": SimpleUploadedFile("a.csv", csv_file([ELECTED_ROW]))}
        ).status_code
        == 403
    )
    assert (
        client.post(urls[2], {"digest": record.digest, "plan": plan.fingerprint()}).status_code
        == 403
    )
    assert changed_tables(before, snapshot()) == []
    assert mailoutbox == []
    assert user_import.plan(csv_file([STAFF_ROW])).create  # still importable by an admin


def test_unimported_lists_are_thinned_out_after_a_day(client, cast):
    import datetime

    from django.utils import timezone

    from municipality import personal_data

    client.force_login(cast.admin)
    preview(client, csv_file([STAFF_ROW]))
    today = timezone.localdate()
    assert personal_data.gallra(today=today)["user_lists"] == 0
    assert personal_data.gallra(today=today + datetime.timedelta(days=2))["user_lists"] == 1
    assert not UserImport.objects.exists()


def test_mail_is_sent_only_after_the_commit(client, cast, mailoutbox, monkeypatch):
    """An invitation for a user whose creation could still be rolled back would be a lie:
    the mail goes once the import's transaction is over."""
    depth, original = [], mail.EmailMessage.send

    def send(message, *args, **kwargs):
        depth.append(len(connection.atomic_blocks))
        return original(message, *args, **kwargs)

    client.force_login(cast.admin)
    page, _plan = preview(client, csv_file([STAFF_ROW]))
    monkeypatch.setattr(mail.EmailMessage, "send", send)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    confirm(client, page)
    assert depth == [outside]


def test_a_list_with_title_rows_and_a_total_row_is_read_below_its_titles(client, cast):
    """The user import reads its file as the register import does: the header row below
    the title rows, the sum row skipped with a note, the problems quoting the cell."""
    from tests.spreadsheets import forvaltning_workbook

    client.force_login(cast.admin)
    rows = [
        STAFF_ROW,
        ["Bo", "Ek", "inte-en-adress", "Tjänsteperson", "", ""],
        ["Totalt", "", "", "", "", ""],
    ]
    page, plan = preview(client, forvaltning_workbook(HEADER, rows), name="lista.xlsx")
    assert [p.row for p in plan.create] == [5]
    assert [(p.row, p.column, p.value) for p in plan.problems][:1] == [
        (6, "e-post", "inte-en-adress")
    ]
    assert plan.notes == ["Rad 7 ser ut som en summarad och hoppas över."]
    assert "Rad 7 ser ut som en summarad" in page.content.decode()


def test_the_mapping_step_maps_a_header_no_synonym_knows(client, cast):
    client.force_login(cast.admin)
    header = ["förnamn", "efternamn", "Adress för inbjudan", "roll", "kommun", "nämnder"]
    response = upload(client, csv_file([STAFF_ROW], header=header))
    page = client.get(response["Location"])
    assert page.context["form"]["column_2"].value() == ""
    choices = mapping_choices(page, **{"Adress för inbjudan": "email"})
    response = client.post(response["Location"], choices)
    plan = client.get(response["Location"]).context["plan"]
    assert problems(plan) == []
    assert [p.user.email for p in plan.create] == ["asa.oberg@malmo.se"]

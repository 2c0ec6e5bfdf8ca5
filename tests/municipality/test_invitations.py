"""New users are invited by e-mail to choose their own password (municipality.invitations)."""

import datetime
import logging
import re
import smtplib
from email.utils import getaddresses

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from municipality import invitations
from municipality.invitations import InvitationTokenGenerator
from municipality.models import Membership, User

NEW_PASSWORD = "Ett-långt-eget-lösenord-42"
EXPIRED = "Inbjudningslänken har gått ut eller har redan använts."


def add_form(cast, **changes):
    """What an administrator fills in on the admin's add-user page."""
    data = {
        "username": "anna.svensson",
        "first_name": "Anna",
        "last_name": "Svensson",
        "email": "anna.svensson@malmo.se",
        "role": "civil_servant",
        "municipality": cast.malmo.pk,
        "usable_password": "false",
        "password1": "",
        "password2": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-body": cast.asf.pk,
        "memberships-0-title": "Utvecklingssekreterare",
        "representations-TOTAL_FORMS": "0",
        "representations-INITIAL_FORMS": "0",
        "representations-MIN_NUM_FORMS": "0",
        "representations-MAX_NUM_FORMS": "1000",
        "_save": "Spara",
    }
    return {**data, **changes}


def invite(client, cast, **changes):
    client.force_login(cast.admin)
    return client.post(reverse("admin:municipality_user_add"), add_form(cast, **changes))


def link_in(message):
    return re.search(r"http://testserver(/konto/inbjudan/\S+/)", message.body).group(1)


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_the_add_form_asks_who_and_where_and_no_password(client, cast):
    client.force_login(cast.admin)
    form = client.get(reverse("admin:municipality_user_add")).context["adminform"].form
    for name in ("first_name", "last_name", "email"):
        assert form.fields[name].required
    assert {"role", "municipality", "usable_password"} <= set(form.fields)
    assert form.fields["usable_password"].initial == "false"


def test_an_invited_user_chooses_a_password_and_is_logged_in(client, cast, mailoutbox):
    response = invite(client, cast)
    anna = User.objects.get(username="anna.svensson")
    assert response.status_code == 302
    assert not anna.has_usable_password()
    assert list(Membership.objects.filter(user=anna).values_list("body", flat=True)) == [
        cast.asf.pk
    ]
    [message] = mailoutbox
    assert message.to == ["Anna Svensson <anna.svensson@malmo.se>"]
    assert message.subject == "Inbjudan till Samverkansregistret"
    assert "Användarnamn: anna.svensson" not in message.body
    assert "anna.svensson" in message.body and "7 dagar" in message.body
    assert "Skickade en inbjudan till 1 användare." in messages_of(response)

    client.logout()
    link = link_in(message)
    form_page = client.get(link, follow=True)
    assert "Välj ditt lösenord" in form_page.content.decode()
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(anna.pk)
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)

    client.logout()
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert EXPIRED in again.content.decode()


@pytest.mark.parametrize(
    ("days", "after", "valid"), [(7, 6.9, True), (7, 7.1, False), (2, 2.1, False)]
)
def test_the_link_lasts_the_configured_days(cast, settings, monkeypatch, days, after, valid):
    settings.INVITATION_DAYS = days
    cast.staff.set_unusable_password()
    cast.staff.save()
    token = invitations.tokens.make_token(cast.staff)
    later = datetime.datetime.now() + datetime.timedelta(days=after)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)
    assert invitations.tokens.check_token(cast.staff, token) is valid


def test_a_reset_token_does_not_open_an_invitation_nor_the_other_way(cast):
    reset = default_token_generator.make_token(cast.staff)
    invitation = invitations.tokens.make_token(cast.staff)
    assert invitations.tokens.check_token(cast.staff, reset) is False
    assert default_token_generator.check_token(cast.staff, invitation) is False
    assert invitations.tokens.check_token(cast.staff, "garbage") is False


def test_a_made_up_link_is_refused_in_swedish(client, cast):
    uid = urlsafe_base64_encode(force_bytes(cast.staff.pk))
    response = client.get(reverse("invitation_confirm", kwargs={"uidb64": uid, "token": "x-y"}))
    assert EXPIRED in response.content.decode()


def test_a_failed_send_is_shown_and_logged_with_the_user_id(
    client, cast, mailoutbox, monkeypatch, caplog
):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with caplog.at_level(logging.ERROR, logger="municipality.invitations"):
        response = invite(client, cast)
    anna = User.objects.get(username="anna.svensson")
    [error] = [m for m in response.wsgi_request._messages if m.level_tag == "error"]
    assert "Inbjudan till anna.svensson kunde inte skickas" in str(error)
    [record] = caplog.records
    assert record.getMessage() == f"The invitation to user {anna.pk} could not be sent"
    assert "anna.svensson@malmo.se" not in caplog.text


def test_the_invitation_can_be_sent_again(client, cast, mailoutbox):
    invite(client, cast)
    anna = User.objects.get(username="anna.svensson")
    response = client.post(
        reverse("admin:municipality_user_changelist"),
        {
            "action": "send_invitation_again",
            "_selected_action": [anna.pk, cast.staff.pk],
        },
    )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["Anna Svensson <anna.svensson@malmo.se>"]] * 2
    notes = messages_of(response)
    assert "Skickade en inbjudan till 1 användare." in notes
    assert any(note.startswith("1 av de valda användarna bjöds inte in") for note in notes)
    client.logout()
    assert client.get(link_in(mailoutbox[1]), follow=True).context["validlink"] is True


def test_a_hostile_name_stays_in_the_display_name(client, cast, mailoutbox):
    invite(client, cast, first_name="Anna\r\nBcc: evil@example.com", last_name="=Svensson, Eva")
    [message] = mailoutbox
    assert message.to == ['"Anna Bcc: evil@example.com =Svensson, Eva" <anna.svensson@malmo.se>']
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert "Hej Anna Bcc: evil@example.com =Svensson, Eva!" in message.body
    assert getaddresses([message.message()["To"]]) == [
        ("Anna Bcc: evil@example.com =Svensson, Eva", "anna.svensson@malmo.se")
    ]


def test_no_user_without_an_e_mail_address(client, cast, mailoutbox):
    response = invite(client, cast, email="")
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="anna.svensson").exists()
    assert mailoutbox == []


def test_password_reset_reaches_a_user_who_has_no_password_yet(client, cast, mailoutbox):
    cast.staff.set_unusable_password()
    cast.staff.save()
    response = client.post(reverse("password_reset"), {"email": "STAFF@example.se"})
    assert response["Location"] == reverse("password_reset_done")
    assert [m.to for m in mailoutbox] == [["staff@example.se"]]


def test_password_reset_says_the_same_whoever_asks(client, cast, mailoutbox):
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.se"}, follow=True)
    known = client.post(reverse("password_reset"), {"email": "staff@example.se"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    for response in (unknown, known):
        html = response.content.decode()
        assert "Om adressen hör till en användare av registret" in html
        assert "Titta i din e-post" not in html
    assert len(mailoutbox) == 1


def test_a_failed_reset_mail_is_logged_with_the_user_id(client, cast, monkeypatch, caplog):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("password_reset"), {"email": "staff@example.se"})
    assert response["Location"] == reverse("password_reset_done")
    assert [r.getMessage() for r in caplog.records] == [
        f"Failed to send password reset email to {cast.staff.pk}"
    ]
    assert "staff@example.se" not in caplog.text


@pytest.mark.parametrize(
    ("role", "where"),
    [
        ("civil_servant", {"memberships-0-body": "asf"}),
        ("elected", {"memberships-0-body": "asn"}),
        ("representative", {}),
        ("auditor", {}),
        ("admin", {"municipality": ""}),
    ],
)
def test_every_role_is_invited_and_lands_on_its_start_page(client, cast, mailoutbox, role, where):
    fields = {
        name: (getattr(cast, value).pk if value in ("asf", "asn") else value)
        for name, value in where.items()
    }
    if "memberships-0-body" not in fields:
        fields.update({"memberships-TOTAL_FORMS": "0", "memberships-0-body": ""})
    response = invite(client, cast, role=role, **fields)
    assert response.status_code == 302, response.context and response.context["errors"]
    user = User.objects.get(username="anna.svensson")
    assert user.role == role and not user.has_usable_password()

    client.logout()
    form_page = client.get(link_in(mailoutbox[-1]), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("home")
    start = done.content.decode()
    assert "Välkommen, Anna" in start
    assert user.get_role_display() in start

from django.urls import reverse

from tests.cast import PASSWORD

WRONG = "Ange ett korrekt användarnamn och lösenord."


def test_login_page_is_swedish(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<title>Logga in – Samverkansregistret</title>" in html
    assert "Användarnamn" in html and "Lösenord" in html


def test_browser_language_does_not_switch_to_english(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<title>Logga in – Samverkansregistret</title>" in response.content.decode()


def test_english_can_be_chosen(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>Log in – Samverkansregistret</title>" in html
    assert "På svenska" in html


def test_correct_login_goes_to_start_page(client, cast):
    response = client.post(
        reverse("login"), {"username": "staff", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.context["user"] == cast.staff


def test_wrong_password_and_wrong_user_name_get_the_same_swedish_message(client, cast):
    wrong_password = client.post(reverse("login"), {"username": "staff", "password": "fel"})
    wrong_user = client.post(reverse("login"), {"username": "none", "password": PASSWORD})
    for response in (wrong_password, wrong_user):
        assert response.status_code == 200
        assert WRONG in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert wrong_password.context["form"].non_field_errors() == (
        wrong_user.context["form"].non_field_errors()
    )


def test_inactive_user_cannot_log_in(client, cast):
    cast.staff.is_active = False
    cast.staff.save()
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("logout"))
    assert response.headers["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Ny-lösenordsfras-2026",
            "new_password2": "Ny-lösenordsfras-2026",
        },
    )
    assert response.headers["Location"] == reverse("password_change_done")
    cast.staff.refresh_from_db()
    assert cast.staff.check_password("Ny-lösenordsfras-2026")


def test_password_reset_mails_a_swedish_link(client, cast, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "staff@example.se"})
    assert response.headers["Location"] == reverse("password_reset_done")
    assert [m.to for m in mailoutbox] == [["staff@example.se"]]
    assert mailoutbox[0].subject == "Nytt lösenord till Samverkansregistret"
    assert "Ditt användarnamn är staff." in mailoutbox[0].body
    link = next(line for line in mailoutbox[0].body.splitlines() if "/konto/reset/" in line)
    confirm = client.get(link.split("testserver", 1)[1], follow=True)
    assert confirm.context["validlink"] is True


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(
    client, cast, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "okand@example.se"})
    assert response.headers["Location"] == reverse("password_reset_done")
    assert mailoutbox == []

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView, PasswordResetView
from django.urls import include, path
from django.views.i18n import set_language

from municipality import views as municipality_views
from municipality.inputs import local_next
from municipality.invitations import PasswordResetForm
from municipality.login import LoginForm

handler403 = "municipality.views.permission_denied"

urlpatterns = [
    path("", include("overview.urls")),
    path("", include("municipality.urls")),
    path("", include("partners.urls")),
    path("", include("dialogues.urls")),
    path("", include("grants.urls")),
    # Django's login, logout and language switch read `next` themselves: they are given
    # only a local path (municipality.inputs.local_next), as the admin's are (its admin.py).
    path(
        "konto/login/",
        local_next(LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path("konto/logout/", local_next(LogoutView.as_view()), name="logout"),
    # Also for users who have not chosen a password yet (municipality.invitations).
    path(
        "konto/password_reset/",
        PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("konto/", include("django.contrib.auth.urls")),
    path("sprak/", login_not_required(local_next(set_language, "/")), name="set_language"),
    path("admin/", admin.site.urls),
    path("halsa/", municipality_views.health, name="health"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", municipality_views.favicon, name="favicon"),
]

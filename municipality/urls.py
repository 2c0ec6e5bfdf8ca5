from django.urls import path

from municipality import views

urlpatterns = [
    path("", views.home, name="home"),
    path("namnder/", views.body_list, name="body_list"),
    path("namnder/<int:pk>/", views.body_detail, name="body_detail"),
    path(
        "konto/inbjudan/<uidb64>/<token>/",
        views.InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
]

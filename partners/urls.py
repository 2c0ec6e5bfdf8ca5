from django.urls import path

from partners import views

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer.xlsx", views.organisation_export, name="organisation_export"),
    path("organisationer/ny/", views.organisation_create, name="organisation_create"),
    path("organisationer/<int:pk>/andra/", views.organisation_update, name="organisation_update"),
    path(
        "organisationer/<int:pk>/arkivera/", views.organisation_archive, name="organisation_archive"
    ),
    path(
        "organisationer/<int:pk>/kontaktpersoner/ny/",
        views.contact_create,
        name="contact_create",
    ),
    path("kontaktpersoner/<int:pk>/andra/", views.contact_update, name="contact_update"),
    path("kontaktpersoner/<int:pk>/ta-bort/", views.contact_delete, name="contact_delete"),
    path("kontaktpersoner/<int:pk>/registerutdrag/", views.contact_extract, name="contact_extract"),
    path("iop/", views.partnership_list, name="partnership_list"),
    path("iop.xlsx", views.partnership_export, name="partnership_export"),
    path("iop/<int:pk>/arkivera/", views.partnership_archive, name="partnership_archive"),
    path("iop/<int:pk>/uppfoljning/ny/", views.follow_up_create, name="follow_up_create"),
]

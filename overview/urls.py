"""The gathering pages keep the addresses they had in the feature apps."""

from django.urls import path

from overview import views

urlpatterns = [
    path("", views.start, name="home"),
    path("namnder/<int:pk>/", views.body_detail, name="body_detail"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("iop/nytt/", views.partnership_create, name="partnership_create"),
    path("iop/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("iop/<int:pk>/andra/", views.partnership_update, name="partnership_update"),
]

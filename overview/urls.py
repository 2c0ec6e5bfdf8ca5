from django.urls import path

from overview import views

urlpatterns = [
    path("", views.start, name="home"),
]

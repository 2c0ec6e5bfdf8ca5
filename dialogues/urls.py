from django.urls import path, re_path

from dialogues import views

urlpatterns = [
    path("forum/", views.forum_list, name="forum_list"),
    path("forum/nytt/", views.forum_create, name="forum_create"),
    path("forum/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("forum/<int:pk>/andra/", views.forum_update, name="forum_update"),
    path("moten/", views.meeting_list, name="meeting_list"),
    path("moten.xlsx", views.meeting_export, name="meeting_export"),
    path("moten/narvaro.xlsx", views.attendance_export, name="attendance_export"),
    path("moten/kalender/", views.meeting_calendar, name="meeting_calendar"),
    path("moten/nytt/", views.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/andra/", views.meeting_update, name="meeting_update"),
    path("moten/<int:pk>/arkivera/", views.meeting_archive, name="meeting_archive"),
    path("moten/<int:pk>/genomfort/", views.meeting_log, name="meeting_log"),
    path("moten/<int:pk>/minnesanteckningar/", views.meeting_minutes, name="meeting_minutes"),
    path("moten/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("moten/<int:pk>/inbjudningar/", views.meeting_invitations, name="meeting_invitations"),
    path("kalender/", views.calendar_subscriptions, name="calendar_subscriptions"),
    path("kalender/<str:kind>/<int:pk>/ny-lank/", views.feed_renew, name="feed_renew"),
    path("kalender/<str:kind>/<int:pk>/aterkalla/", views.feed_revoke, name="feed_revoke"),
    # Tokens are URL-safe base64; anything else is not even looked up.
    re_path(
        r"^kalender/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$",
        views.calendar_feed,
        name="calendar_feed",
    ),
    path("fragor/", views.observation_list, name="observation_list"),
    path("fragor.xlsx", views.observation_export, name="observation_export"),
    path("fragor/<int:pk>/", views.observation_update, name="observation_update"),
    path("fragor/<int:pk>/aterkoppling/", views.observation_notify, name="observation_notify"),
    path("dialogstrukturer/", views.structures_report, name="structures_report"),
    path("dialogstrukturer.xlsx", views.structures_workbook, name="structures_workbook"),
]

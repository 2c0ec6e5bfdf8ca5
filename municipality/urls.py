from django.urls import path

from municipality import views

urlpatterns = [
    path("namnder/", views.body_list, name="body_list"),
    path("anvandare/<int:pk>/registerutdrag/", views.user_extract, name="user_extract"),
    path("personuppgifter/", views.privacy_notice, name="privacy_notice"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility_statement"),
    path("personuppgifter/gallring/", views.retention_log, name="retention_log"),
    path("personuppgifter/behandlingar/", views.processing_record, name="processing_record"),
    path("uttag/", views.export_list, name="export_list"),
    path("uttag/<int:pk>/", views.export_detail, name="export_detail"),
    path("uttag/<int:pk>/fil/", views.export_download, name="export_download"),
    path("anvandare/", views.user_list, name="user_list"),
    path("anvandare.xlsx", views.user_workbook, name="user_workbook"),
    path("anvandare/inbjudan/", views.user_import_upload, name="user_import"),
    path("anvandare/inbjudan/mall.xlsx", views.user_import_template, name="user_import_template"),
    path(
        "anvandare/inbjudan/<int:pk>/kolumner/",
        views.user_import_columns,
        name="user_import_columns",
    ),
    path("anvandare/inbjudan/<int:pk>/", views.user_import_preview, name="user_import_preview"),
    path("import/<slug:kind>/", views.register_import_upload, name="register_import"),
    path(
        "import/<slug:kind>/mall.xlsx",
        views.register_import_template,
        name="register_import_template",
    ),
    path(
        "import/<slug:kind>/<int:pk>/avvisade-rader.xlsx",
        views.register_import_refused,
        name="register_import_refused",
    ),
    path(
        "import/<slug:kind>/<int:pk>/kolumner/",
        views.register_import_columns,
        name="register_import_columns",
    ),
    path(
        "import/<slug:kind>/<int:pk>/",
        views.register_import_preview,
        name="register_import_preview",
    ),
    path(
        "konto/inbjudan/<uidb64>/<token>/",
        views.InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
]

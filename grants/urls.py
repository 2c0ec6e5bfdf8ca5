from django.urls import path

from grants import views

urlpatterns = [
    path("bidrag/", views.grant_list, name="grant_list"),
    path("bidrag.xlsx", views.grant_export, name="grant_export"),
    path("bidrag/nytt/", views.grant_create, name="grant_create"),
    path("bidrag/arbetsbok.xlsx", views.grant_workbook, name="grant_workbook"),
    path("bidrag/delegationsbeslut/", views.delegation_list, name="delegation_list"),
    path("bidrag/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("bidrag/<int:pk>/andra/", views.grant_update, name="grant_update"),
    path("bidrag/<int:pk>/utbetalning/", views.payment_create, name="payment_create"),
    path("utbetalningar/<int:pk>/aterforing/", views.payment_reverse, name="payment_reverse"),
    path("bidrag/<int:pk>/aterrapportering/", views.report_edit, name="report_edit"),
    path("bidragsformer/", views.scheme_list, name="scheme_list"),
    path("bidragsformer/ny/", views.scheme_create, name="scheme_create"),
    path("bidragsformer/<int:pk>/andra/", views.scheme_update, name="scheme_update"),
    path("bidragsformer/<int:pk>/niva/", views.level_edit, name="level_create"),
    path("bidragsformer/<int:pk>/niva/<int:year>/", views.level_edit, name="level_update"),
    path("organisationer/<int:pk>/betalkonto/", views.account_edit, name="account_edit"),
    path("betalkonto/andringar/<int:pk>/", views.account_decide, name="account_decide"),
]

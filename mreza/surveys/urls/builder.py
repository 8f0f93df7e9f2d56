"""Survey URLs: building a survey (views/builder.py), its waves (views/waves.py), its link, QR
code, poster and one-time codes (views/link.py)."""

from django.urls import path

from mreza.surveys.views import builder, link, waves

WAVE = "surveys/<int:pk>/waves/<int:wave_pk>"

urlpatterns = [
    path("municipalities/<str:code>/surveys/", builder.survey_list, name="list"),
    path("municipalities/<str:code>/surveys/new/", builder.survey_new, name="new"),
    path("surveys/<int:pk>/", builder.survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", builder.survey_edit, name="edit"),
    path("surveys/<int:pk>/new-version/", builder.new_version, name="new_version"),
    path("surveys/<int:pk>/items/new/<str:kind>/", builder.item_new, name="item_new"),
    path("surveys/<int:pk>/items/<int:item>/", builder.item_edit, name="item_edit"),
    path("surveys/<int:pk>/items/<int:item>/delete/", builder.item_delete, name="item_delete"),
    path("surveys/<int:pk>/items/<int:item>/move/", builder.item_move, name="item_move"),
    path("surveys/<int:pk>/translations/", builder.translations, name="translations"),
    path("surveys/<int:pk>/preview/", builder.preview, name="preview"),
    path("surveys/<int:pk>/waves/", waves.waves, name="waves"),
    path("surveys/<int:pk>/waves/new/", waves.wave_edit, name="wave_new"),
    path(f"{WAVE}/edit/", waves.wave_edit, name="wave_edit"),
    path(f"{WAVE}/open/", waves.wave_open, name="wave_open"),
    path(f"{WAVE}/close/", waves.wave_close, name="wave_close"),
    path(f"{WAVE}/codes/", link.codes, name="codes"),
    path(f"{WAVE}/codes.csv", link.codes_csv, name="codes_csv"),
    path(f"{WAVE}/codes.pdf", link.codes_pdf, name="codes_pdf"),
    path("surveys/<int:pk>/qr.svg", link.qr_svg, name="qr_svg"),
    path("surveys/<int:pk>/qr.png", link.qr_png, name="qr_png"),
    path("surveys/<int:pk>/poster/", link.poster, name="poster"),
]

"""The way to publication: my practices, drafts, review and validation, transfers."""

from django.urls import path

from mreza.practices.views import authoring, review, transfer

urlpatterns = [
    path("practices/mine/", authoring.mine, name="mine"),
    path("practices/criteria/", authoring.criteria, name="criteria"),
    path("practices/review/", review.queue, name="queue"),
    path("municipalities/<str:code>/practices/new/", authoring.practice_new, name="new"),
    path("practices/from-transfer/<int:pk>/", authoring.from_transfer, name="from_transfer"),
    path("practices/<int:pk>/edit/", authoring.practice_edit, name="edit"),
    path("practices/<int:pk>/submit/", authoring.practice_submit, name="submit"),
    path("practices/<int:pk>/revise/", authoring.practice_revise, name="revise"),
    path("practices/<int:pk>/history/", authoring.practice_history, name="history"),
    path(
        "practices/<int:pk>/history/<int:number>/",
        authoring.practice_revision,
        name="revision",
    ),
    path("practices/<int:pk>/review/", review.practice_review, name="review"),
    path("practices/<int:pk>/validate/", review.practice_validate, name="validate"),
    path("practices/<int:pk>/withdraw/", review.practice_withdraw, name="withdraw"),
    path("practices/<int:pk>/offer/", transfer.offer, name="offer"),
    path("practices/<int:pk>/request/", transfer.request_transfer, name="request"),
    path("practices/<int:pk>/adoptions/new/", transfer.replication, name="replication"),
]

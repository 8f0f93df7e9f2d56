from django.urls import path

from mreza.front import views

# no app_name: "home" and "dashboard" are linked from every app by these plain names
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

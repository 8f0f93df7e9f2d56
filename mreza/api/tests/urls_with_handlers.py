"""The project's URLs with the API's error handlers, as mreza/urls.py is asked to set them."""

from mreza.urls import urlpatterns  # noqa: F401 (the URLs of this URLconf)

handler400 = "mreza.api.conventions.handler400"
handler403 = "mreza.api.conventions.handler403"
handler404 = "mreza.api.conventions.handler404"
handler500 = "mreza.api.conventions.handler500"

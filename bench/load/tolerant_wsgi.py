"""The application as mreza.wsgi serves it, except that URL modules of apps that do not import
right now (an app half-written in a tree shared with other work) are left out, with a note:
`python -m bench.load --tolerant`. Their pages answer 404; every other page is the same."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mreza.settings")
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402 (after django.setup)

from bench.load.inprocess import stub_broken_urlconfs  # noqa: E402

stub_broken_urlconfs(sys.stderr)
application = get_wsgi_application()

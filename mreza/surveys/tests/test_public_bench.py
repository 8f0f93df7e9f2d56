"""The load benchmark's survey submissions (bench/load: prepare.py writes the form tokens,
survey_post.lua sends them with a fixed CSRF cookie and field behind a TLS proxy) are accepted by
the answer page, once each: a benchmark that measured refusals would measure nothing."""

from pathlib import Path

from django.test import Client

from bench.load import prepare
from mreza.surveys.models import Response

CSRF = "benchcsrf0123456789abcdefghijklm"  # as in bench/load/survey_post.lua


def test_the_benchmark_submissions_are_accepted_once_each(world, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("MREZA_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(prepare, "SURVEY_TOKENS", 4)
    world.a.code = "BA-BANJA-LUKA"
    world.a.save()
    page, submit = prepare.survey_pages()
    assert prepare.survey_pages()[0]["url"] == page["url"]  # the survey is made once
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    headers = {
        "content_type": "application/x-www-form-urlencoded",
        "HTTP_HOST": "127.0.0.1:8731",
        "HTTP_ORIGIN": "https://127.0.0.1:8731",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    tokens = Path(submit["tokens"]).read_text(encoding="ascii").splitlines()
    bodies = [f"csrfmiddlewaretoken={CSRF}&token={t}&{submit['answers']}" for t in tokens]
    assert [client.post(submit["url"], b, **headers).status_code for b in bodies] == [302] * 4
    assert client.post(submit["url"], bodies[0], **headers).status_code == 200  # sent twice
    assert Response.objects.filter(wave_id=submit["wave"]).count() == 4
    assert Response.objects.first().answers == {
        "overall": 4,
        "services": {"roads": 3},
        "trust": "yes",
        "comment": "Bench",
    }

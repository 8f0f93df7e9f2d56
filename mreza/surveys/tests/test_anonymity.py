"""A response online leaves nothing that identifies the respondent: no audit entry (its time and
order would), a receipt with a random key, the day only; paper entries are recorded."""

from django.contrib.contenttypes.models import ContentType

from mreza.core.audit import acting_as
from mreza.core.models import AuditEntry
from mreza.surveys.models import DeviceReceipt, Response
from mreza.surveys.services import responses


def _entries():
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Response))


def test_a_response_online_writes_no_audit_entry_and_no_ordered_receipt(survey_world):
    wave = survey_world.wave
    with acting_as(survey_world.bob):
        response = responses.submit(
            wave, {"overall": 4}, language="sr", device_id=responses.new_device_id()
        )
    assert response.channel == Response.Channel.WEB
    assert not _entries().exists()
    receipt = DeviceReceipt.objects.get(wave=wave)
    assert len(str(receipt.pk)) == 36  # a UUID, not a number that follows the responses
    assert not hasattr(response, "entered_by_id") or response.entered_by_id is None


def test_a_paper_entry_and_a_deletion_are_recorded(survey_world):
    wave = survey_world.wave
    with acting_as(survey_world.bob):
        response = responses.enter_paper(
            wave, survey_world.bob, {"overall": 2}, language="bs", paper_number="17"
        )
        responses.delete_paper(response)
    actions = list(_entries().order_by("pk").values_list("action", "actor__email"))
    assert actions == [("create", "bob@example.org"), ("delete", "bob@example.org")]

import re

from django.core import mail

from mreza.accounts.models import Invitation, MunicipalRole, User


def test_coordinator_invites_and_new_person_joins(world, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/people/invite/",
        {"email": "Nina@Example.org", "full_name": "Nina", "role": "assessor"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.org"]
    link = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Banja Luka" in page.content.decode()  # reader's script
    bad = client.post(link, {"full_name": "Nina Nikolić", "password1": "x", "password2": "y"})
    assert bad.status_code == 200 and "Nina Nikolić" in bad.content.decode()  # typed text kept
    ok = client.post(
        link,
        {
            "full_name": "Nina Nikolić",
            "password1": "a-Long-pass-2026",
            "password2": "a-Long-pass-2026",
        },
    )
    assert ok.status_code == 302
    nina = User.objects.get(email="nina@example.org")
    assert MunicipalRole.objects.filter(user=nina, municipality=world.a, role="assessor").exists()
    assert client.get(link).status_code == 404  # used once


def test_bob_and_charlie_cannot_invite_to_a(world, client):
    for persona in (world.bob, world.charlie, world.dana):
        client.force_login(persona)
        response = client.post(
            "/municipalities/T-A/people/invite/", {"email": "x@example.org", "role": "assessor"}
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invalid_invitation_keeps_what_was_typed(world, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/people/invite/",
        {"email": "not-an-email", "full_name": "Kept Name", "role": "assessor"},
    )
    assert response.status_code == 200
    assert "Kept Name" in response.content.decode() and not Invitation.objects.exists()


def test_network_coordinator_invites_an_expert_but_not_an_admin(world, client):
    client.force_login(world.dana)
    response = client.post(
        "/organisations/T-ASSOC/invite/", {"email": "ex@example.org", "role": "platform_admin"}
    )
    assert response.status_code == 200 and not Invitation.objects.exists()
    response = client.post(
        "/organisations/T-ASSOC/invite/", {"email": "ex@example.org", "role": "expert"}
    )
    assert response.status_code == 302 and Invitation.objects.get().role == "expert"
    client.force_login(world.charlie)
    assert client.get("/organisations/T-ASSOC/").status_code == 403


def test_existing_user_accepts_after_signing_in(world, client):
    invitation = Invitation.objects.create(
        email="charlie@example.org", municipality=world.b, role="assessor", invited_by=world.admin
    )
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.charlie)
    assert client.post(f"/invitations/{invitation.token}/").status_code == 302
    assert MunicipalRole.objects.filter(
        user=world.charlie, municipality=world.b, role="assessor"
    ).exists()

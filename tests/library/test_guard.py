"""The personal-data guard holds case lists back and lets service guides through."""

import random

from sqlalchemy import select

from coordination.extensions import db
from coordination.guard import personal_data_findings
from coordination.library.models import Document
from coordination.mail.outbox import send_due
from tests.conftest import body_text, login
from tests.library import files
from tests.library.conftest import share, shared_document, sign_in_as

FIRST = ["Amal", "Khaled", "Mona", "Omar", "Grace", "Daniel", "Fatou", "Moussa", "Helen", "Samuel"]
LAST = ["Haddad", "Nasser", "Okafor", "Mensah", "Diallo", "Traore", "Tesfaye", "Bekele"]


def _case_list(size: int = 12) -> list[list[str]]:
    rng = random.Random(7)
    rows = [["Name", "Passport", "Date of birth"]]
    for _ in range(size):
        rows.append(
            [
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                f"{rng.choice('PAB')}{rng.randint(1000000, 9999999)}",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2010)}",
            ]
        )
    return rows


SERVICE_GUIDE = [
    "Assisted voluntary return and reintegration: how to apply",
    "Migrants who wish to return home may contact the IOM hotline at +20 2 1234 5678.",
    "Bring a valid passport or a travel document issued by your embassy.",
    "Questions: avrr.egypt@iom.example. Office hours from 9 to 15, Sunday to Thursday.",
    "Eligibility is assessed case by case; reintegration support is given after return.",
]


def test_a_list_of_names_and_passport_numbers_is_held_and_the_uploader_told_why(
    client, smtp_server, member, focal_point, organizer, collection
):
    login(client, member)
    share(client, collection, files.docx(["Beneficiaries"], _case_list()), "cases.docx", title="Cases")
    document = shared_document()
    assert document.status == "review"
    send_due()
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == [member.email]
    text = body_text(messages[0])
    assert "held under review" in text and "passport-like numbers" in text
    page = client.get(f"/library/documents/{document.id}").get_data(as_text=True)
    assert "passport-like numbers" in page
    # Not even the uploader's colleagues see it while it is held; organizers do.
    sign_in_as(client, focal_point)
    assert client.get(f"/library/documents/{document.id}").status_code == 404
    assert "Cases" not in client.get("/library").get_data(as_text=True)
    sign_in_as(client, organizer)
    assert "Cases" in client.get("/library/review").get_data(as_text=True)
    client.post(f"/library/documents/{document.id}/clear")
    assert db.session.get(Document, document.id).status == "published"
    sign_in_as(client, focal_point)
    assert client.get(f"/library/documents/{document.id}").status_code == 200


def test_a_service_guide_without_personal_data_goes_through(client, member, focal_point, collection):
    login(client, member)
    share(client, collection, files.pdf(*SERVICE_GUIDE), "avrr.pdf", title="AVRR guide")
    assert shared_document().status == "published"
    sign_in_as(client, focal_point)
    assert client.get(f"/library/documents/{shared_document().id}").status_code == 200


def test_the_guard_finds_each_kind_of_personal_data_in_bulk():
    phones = "\n".join(f"Call +20 10 {1000 + n} {5000 + n}" for n in range(8))
    emails = " ".join(f"person{n}@mail.example" for n in range(8))
    births = "\n".join(f"Amal Haddad born 0{n}/02/1990" for n in range(1, 5))
    assert personal_data_findings(phones) == ["phone"]
    assert personal_data_findings(emails) == ["email"]
    assert personal_data_findings(births) == ["birth"]
    assert personal_data_findings("\n".join(SERVICE_GUIDE)) == []


def test_a_held_document_stays_out_of_search_for_others(client, member, other_focal_point, collection):
    login(client, member)
    share(client, collection, files.docx(["Zetaword"], _case_list()), "cases.docx", title="Cases")
    assert "Cases</a>" in client.get("/library?q=zetaword").get_data(as_text=True)
    sign_in_as(client, other_focal_point)
    assert "Cases</a>" not in client.get("/library?q=zetaword").get_data(as_text=True)
    assert db.session.scalars(select(Document.status)).one() == "review"


def test_a_clean_new_version_does_not_release_a_held_document(client, member, focal_point, collection):
    import io

    login(client, member)
    share(client, collection, files.docx(["Beneficiaries"], _case_list()), "cases.docx", title="Cases")
    document = shared_document()
    response = client.post(
        f"/library/documents/{document.id}/versions/new",
        data={"files": [(io.BytesIO(files.pdf(*SERVICE_GUIDE)), "clean.pdf")], "language": "en", "note": ""},
        content_type="multipart/form-data",
    )
    response.close()
    assert db.session.get(Document, document.id).status == "review"
    sign_in_as(client, focal_point)
    assert client.get(f"/library/documents/{document.id}").status_code == 404

"""The public check page names what the document is; a publication certificate also gives the
material's publication date (in the viewer's zone) and its page while it is public."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import certificates
from app.certificates import Certificate, CertificateKind
from app.extensions import db
from community.library.models import MaterialStatus
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.community import published_material

ISSUED = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)


def _issue(kind: CertificateKind, source_type: str = "award", source_id: int = 1) -> Certificate:
    found = certificates.issue(
        kind=kind,
        user_id=None,
        holder="Анна Петрова",
        title="Областная олимпиада по биологии",
        source_type=source_type,
        source_id=source_id,
        now=ISSUED,
    )
    db.session.commit()
    return found


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (CertificateKind.COURSE, "Удостоверение о повышении квалификации"),
        (CertificateKind.DIPLOMA, "Диплом"),
        (CertificateKind.PARTICIPATION, "Сертификат участника"),
        (CertificateKind.JURY, "Сертификат члена жюри"),
        (CertificateKind.PUBLICATION, "Свидетельство о публикации"),
    ],
)
def test_each_kind_is_named(client, kind: CertificateKind, label: str) -> None:  # type: ignore[no-untyped-def]
    code = _issue(kind).code
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "data-valid" in page and f'data-kind="{kind.value}"' in page
    assert f'data-kind="{kind.value}">{label}</dd>' in page and "Анна Петрова" in page
    others = {"Сертификат участника", "Сертификат члена жюри", "Свидетельство о публикации"} - {label}
    assert not any(other in page for other in others)
    assert "data-material-link" not in page and "data-published" not in page


def _publication(status: MaterialStatus = MaterialStatus.PUBLISHED) -> tuple[str, int]:
    material = published_material(teacher(), title="Проект «Птицы нашего края»", status=status)
    material.published_at = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # UTC: already 2 March in Novosibirsk
    db.session.commit()
    return _issue(CertificateKind.PUBLICATION, "material", material.id).code, material.id


def test_publication_shows_the_date_in_the_viewers_zone_and_links_the_material(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    code, material_id = _publication()
    other = _issue(CertificateKind.DIPLOMA).code
    login(client, teacher(timezone="Asia/Novosibirsk"))
    with count_queries(cold=True) as plain:
        assert "data-published" not in client.get(f"/verify/{other}").get_data(as_text=True)
    with count_queries(cold=True) as counter:
        page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert counter.count <= plain.count + 5  # the material, its author, institution and association
    assert "data-published>2 мар" in page
    assert f'href="/library/materials/{material_id}" data-material-link' in page
    assert "Свидетельство о публикации" in page
    client.post("/auth/logout")
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "data-published>1 мар" in page  # the anonymous viewer sees the default zone


def test_a_withdrawn_material_keeps_its_date_but_loses_the_link(client) -> None:  # type: ignore[no-untyped-def]
    code, _material_id = _publication(MaterialStatus.REJECTED)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "data-valid" in page and "data-published" in page and "data-material-link" not in page


def test_a_deleted_material_is_neither_dated_nor_linked(client) -> None:  # type: ignore[no-untyped-def]
    code = _issue(CertificateKind.PUBLICATION, "material", 987654).code
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Свидетельство о публикации" in page
    assert "data-published" not in page and "data-material-link" not in page


def test_a_revoked_document_is_shown_as_before(client) -> None:  # type: ignore[no-untyped-def]
    code, _material_id = _publication()
    found = certificates.lookup(code)
    assert found is not None
    found.revoked_at, found.revoked_reason = datetime(2026, 6, 1, 10, 0, tzinfo=UTC), "Заимствованный текст"
    db.session.commit()
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "data-revoked" in page and "Документ отозван" in page and "Заимствованный текст" in page
    assert "data-valid" not in page and "data-kind" not in page
    assert "data-published" not in page and "data-material-link" not in page

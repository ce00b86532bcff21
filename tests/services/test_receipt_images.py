"""A provider's receipt picture: an image uploaded here, a shipped sample, or https on RECEIPT_IMAGE_HOSTS only."""

from __future__ import annotations

import pytest
from sqlmodel import select

from cabinet.config import ConfigError, get_settings, load_settings
from cabinet.models import Provider, UserRole
from cabinet.services import images, providers
from cabinet.services.provider_form import ProviderForm, ProviderInvalid, provider_form
from cabinet.services.receipt_images import shown_receipt_image
from tests.factories import NOW, make_provider, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def operator(session):
    return make_user(session, role=UserRole.admin).id


@pytest.fixture
def image_hosts(monkeypatch):
    def allow(hosts: str) -> None:
        monkeypatch.setenv("RECEIPT_IMAGE_HOSTS", hosts)
        get_settings.cache_clear()

    yield allow
    monkeypatch.delenv("RECEIPT_IMAGE_HOSTS", raising=False)
    get_settings.cache_clear()


def _save(session, operator: int, picture: str) -> Provider:
    form = ProviderForm(
        name="ООО «Теплосеть»",
        inn="7707083893",
        account_pattern=r"\d{9}",
        account_format_description="9 цифр",
        account_example="123456789",
        receipt_image=picture,
    )
    saved = providers.save_provider(session=session, actor_id=operator, provider_id=None, form=form, now=NOW)
    return session.get(Provider, saved.id)


def _refusal(session, operator: int, picture: str) -> str:
    with pytest.raises(ProviderInvalid) as raised:
        _save(session, operator, picture)
    assert set(raised.value.errors) == {"receipt_image"}  # the message goes next to the picture
    return raised.value.errors["receipt_image"].code


@pytest.mark.parametrize(
    "picture",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "http://img.example.com/receipt.png",
        "https://tracker.example.net/pixel.png",
        "//tracker.example.net/pixel.png",
        "/api/images/1/../../admin",
        "/receipts/../../cabinet/config.py",
        "/receipts/unknown.svg",
    ],
)
def test_anything_but_our_own_pictures_is_refused_by_default(session, operator, picture):
    assert _refusal(session, operator, picture) == "provider_image_source"
    assert session.exec(select(Provider)).all() == []


def test_an_uploaded_picture_is_taken_and_a_missing_one_is_not(session, operator):
    url = images.store_image(session=session, actor_id=operator, data=PNG, now=NOW)
    assert _save(session, operator, url).receipt_image == url
    missing = f"/api/images/{int(url.rsplit('/', 1)[1]) + 1000}"
    assert _refusal(session, operator, missing) == "provider_image_missing"
    assert _refusal(session, operator, "/api/images/99999999999999999999999") == "provider_image_source"


def test_the_shipped_sample_receipts_are_taken(session, operator):
    assert _save(session, operator, "/receipts/vodokanal.svg").receipt_image == "/receipts/vodokanal.svg"


def test_https_pictures_only_from_the_hosts_the_setting_names(session, operator, image_hosts):
    image_hosts("img.example.com, cdn.example.org")
    assert (
        _save(session, operator, "https://img.example.com/r/1.png").receipt_image == "https://img.example.com/r/1.png"
    )
    for picture in (
        "https://img.example.com.evil.example/1.png",
        "https://img.example.com@evil.example/1.png",
        "https://user@img.example.com/1.png",
        "https://img.example.com:8443/1.png",
        "http://img.example.com/1.png",
        "https://other.example.com/1.png",
        'https://img.example.com/1.png" onerror="alert(1)',
        "https://img.example.com/\n1.png",
    ):
        assert _refusal(session, operator, picture) == "provider_image_source", picture


def test_a_picture_stored_before_the_rules_is_neither_shown_nor_kept(session, operator):
    provider = make_provider(session, receipt_image="javascript:alert(1)")
    assert provider_form(provider).receipt_image == ""
    saved = providers.save_provider(
        session=session, actor_id=operator, provider_id=provider.id, form=provider_form(provider), now=NOW
    )
    assert session.get(Provider, saved.id).receipt_image == ""
    assert shown_receipt_image("http://tracker.example.net/p.png", allowed_hosts=()) == ""
    assert shown_receipt_image("/receipts/vodokanal.svg", allowed_hosts=()) == "/receipts/vodokanal.svg"


def test_an_overlong_address_is_refused_not_cut(session, operator, image_hosts):
    image_hosts("img.example.com")
    assert _refusal(session, operator, "https://img.example.com/" + "a" * 200) == "field_too_long"


def test_the_host_setting_is_read_as_a_list_of_bare_host_names():
    assert load_settings(receipt_image_hosts="Img.Example.com, cdn.example.org").receipt_image_hosts == (
        "img.example.com",
        "cdn.example.org",
    )
    assert load_settings().receipt_image_hosts == ()
    for bad in ("https://img.example.com", "img.example.com/pictures", "*.example.com", "localhost"):
        with pytest.raises(ConfigError, match="RECEIPT_IMAGE_HOSTS"):
            load_settings(receipt_image_hosts=bad)

"""The provider cards of the start and connect pages: active providers only, pictures only from allowed places."""

from __future__ import annotations

from cabinet.models import OwnershipCheck
from cabinet.services.provider_cards import OWNERSHIP_QUESTIONS, provider_cards
from tests.factories import make_provider


def test_active_providers_by_name_with_what_linking_asks(app_database, session):
    make_provider(
        session, name="Энергосбыт", ownership_check=OwnershipCheck.pin, receipt_image="/receipts/energosbyt.svg"
    )
    make_provider(
        session,
        name="Водоканал",
        service_description="Вода",
        hint_text="Номер — вверху квитанции",
        receipt_image="javascript:alert(1)",
    )
    make_provider(session, name="Закрыт", is_active=False)
    session.commit()
    water, power = provider_cards()
    assert (water.name, water.service, water.hint_text) == ("Водоканал", "Вода", "Номер — вверху квитанции")
    assert water.ownership_question == "" and power.ownership_question == "pin"
    assert power.receipt_image == "/receipts/energosbyt.svg"
    # A picture address saved before the rules shows no picture.
    assert water.receipt_image == ""


def test_every_ownership_check_but_none_is_a_question():
    assert set(OWNERSHIP_QUESTIONS) == {check.value for check in OwnershipCheck} - {"none"}

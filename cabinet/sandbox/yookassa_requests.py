"""The YooKassa stand-in's checks of a request body: a payment (with its receipt and split) and a refund.

Each answers (parameter, description) of the first problem, as YooKassa's 400 names it, or None.
Checks that need stored payments (is it refundable, how much is left) are the refunds store's.
"""

from __future__ import annotations

import re

from cabinet.money import decimal_string_to_kopecks

_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
_ACCOUNT_ID = re.compile(r"^\d{1,32}$")
_QUANTITY = re.compile(r"^\d{1,6}(\.\d{1,3})?$")
_INN = re.compile(r"^(\d{10}|\d{12})$")
_AGENT_TYPES = {
    "banking_payment_agent",
    "banking_payment_subagent",
    "payment_agent",
    "payment_subagent",
    "attorney",
    "commissioner",
    "agent",
}

Problem = tuple[str, str] | None


def amount_problem(amount: object, parameter: str = "amount") -> Problem:
    """A positive RUB amount with up to two decimals, as a string."""
    if not isinstance(amount, dict) or not isinstance(amount.get("value"), str) or not _AMOUNT.match(amount["value"]):
        return f"{parameter}.value", "Amount value must be a string with up to two decimals"
    if decimal_string_to_kopecks(amount["value"]) <= 0:
        return f"{parameter}.value", "Amount must be positive"
    if amount.get("currency") != "RUB":
        return f"{parameter}.currency", "Only RUB is accepted by this shop"
    return None


def kopecks_of(amount: dict) -> int:
    """The kopecks of an amount that passed `amount_problem`."""
    return decimal_string_to_kopecks(amount["value"])


def payment_problem(body: object) -> Problem:
    """The first problem of a create-payment request, or None."""
    if not isinstance(body, dict):
        return "", "Request body must be a JSON object"
    if (problem := amount_problem(body.get("amount"))) is not None:
        return problem
    confirmation = body.get("confirmation")
    if not isinstance(confirmation, dict) or confirmation.get("type") != "redirect":
        return "confirmation.type", "Only redirect confirmation is supported"
    if not isinstance(confirmation.get("return_url"), str) or not confirmation["return_url"].startswith("http"):
        return "confirmation.return_url", "return_url is required"
    if "description" in body and (not isinstance(body["description"], str) or len(body["description"]) > 128):
        return "description", "Description must be a string of at most 128 characters"
    if "metadata" in body and not isinstance(body["metadata"], dict):
        return "metadata", "Metadata must be an object"
    total = kopecks_of(body["amount"])
    if "transfers" in body and (problem := _split_problem(body["transfers"], "transfers", total)) is not None:
        return problem
    if body.get("receipt") is not None:
        return receipt_problem(body["receipt"], total)
    return None


def refund_problem(body: object) -> Problem:
    """The first problem of a create-refund request that is seen without the payment, or None."""
    if not isinstance(body, dict):
        return "", "Request body must be a JSON object"
    payment_id = body.get("payment_id")
    if not isinstance(payment_id, str) or not 0 < len(payment_id) <= 64:
        return "payment_id", "payment_id is required"
    if (problem := amount_problem(body.get("amount"))) is not None:
        return problem
    if "description" in body and (not isinstance(body["description"], str) or len(body["description"]) > 250):
        return "description", "Description must be a string of at most 250 characters"
    total = kopecks_of(body["amount"])
    if "sources" in body and (problem := _split_problem(body["sources"], "sources", total)) is not None:
        return problem
    if body.get("receipt") is not None:
        return receipt_problem(body["receipt"], total)
    return None


def _split_problem(parts: object, parameter: str, total: int) -> Problem:
    """Transfers of a payment or sources of a refund: to distinct shops, together at most the whole."""
    if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
        return parameter, f"{parameter} must be a list of objects"
    for part in parts:
        if not isinstance(part.get("account_id"), str) or not _ACCOUNT_ID.match(part["account_id"]):
            return f"{parameter}.account_id", "account_id must be a shop id of up to 32 digits"
        if (problem := amount_problem(part.get("amount"), f"{parameter}.amount")) is not None:
            return problem
    if len({part["account_id"] for part in parts}) != len(parts):
        return f"{parameter}.account_id", "Each shop may appear only once"
    if sum(kopecks_of(part["amount"]) for part in parts) > total:
        return f"{parameter}.amount.value", f"Sum of {parameter} must not exceed the amount"
    return None


def receipt_problem(receipt: object, total: int) -> Problem:
    """A 54-ФЗ receipt whose items add up to `total` kopecks; an agent's item names its supplier's INN."""
    if not isinstance(receipt, dict):
        return "receipt", "Receipt must be an object"
    customer = receipt.get("customer")
    if not isinstance(customer, dict) or not (customer.get("email") or customer.get("phone")):
        return "receipt.customer", "Receipt needs the customer's email or phone"
    items = receipt.get("items")
    if not isinstance(items, list) or not items:
        return "receipt.items", "Receipt needs at least one item"
    items_total = 0
    for item in items:
        item_amount = item.get("amount") if isinstance(item, dict) else None
        if not isinstance(item_amount, dict) or not _AMOUNT.match(str(item_amount.get("value", ""))):
            return "receipt.items.amount", "Every item needs an amount"
        if not item.get("description") or "vat_code" not in item:
            return "receipt.items", "Every item needs a description and vat_code"
        if not _QUANTITY.match(quantity := str(item.get("quantity", "1"))):
            return "receipt.items.quantity", "Quantity must be a number with up to three decimals"
        if (problem := _agent_problem(item)) is not None:
            return problem
        items_total += round(decimal_string_to_kopecks(str(item_amount["value"])) * float(quantity))
    if items_total != total:
        return "receipt.items", "Sum of receipt items must equal the amount"
    return None


def _agent_problem(item: dict) -> Problem:
    if "supplier" in item:
        supplier = item["supplier"]
        if not isinstance(supplier, dict) or not _INN.match(str(supplier.get("inn", ""))):
            return "receipt.items.supplier.inn", "Supplier's INN must be 10 or 12 digits"
    if "agent_type" in item and item["agent_type"] not in _AGENT_TYPES:
        return "receipt.items.agent_type", "Unknown agent_type"
    return None

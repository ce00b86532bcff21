"""The admin page's notification log reads in Russian whatever the log keeps in English."""

from __future__ import annotations

import pytest

from cabinet import texts
from cabinet.models import PaymentStatus
from cabinet.state.display import notification_outcome


@pytest.mark.parametrize(("outcome", "shown"), [
    ("now succeeded", "статус стал «Оплачено»"),
    ("stays pending", "статус не изменился («Ожидает оплаты»): уведомление повторное или устаревшее"),
    ("unknown status 'refunded'", "ЮKassa вернула неизвестный статус refunded, платёж не изменён"),
    ("amount mismatch, not credited", "сумма в ЮKassa не совпадает с нашей, не зачислено"),
    ("gateway id does not match", "номер платежа в ЮKassa не совпадает с нашим, не зачислено"),
    ("rejected: not a notification", "отклонено: это не уведомление ЮKassa"),
    ("unknown payment", "платёж с таким номером у нас не найден"),
    ("gateway timeout", "ЮKassa не ответила на проверку, уведомление придёт повторно"),
])
def test_each_outcome_the_webhook_logs_has_a_russian_line(outcome, shown):
    assert notification_outcome(outcome) == shown


def test_every_status_a_notification_can_leave_reads_in_russian():
    for status in PaymentStatus:
        label = texts.PAYMENTS["statuses"][status.value]
        assert notification_outcome(f"now {status.value}") == f"статус стал «{label}»"

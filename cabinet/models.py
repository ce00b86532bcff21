"""Database tables (sqlmodel). Money is integer kopecks, meter values integer thousandths, times UTC."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from cabinet.clock import utc_now


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as UTC and always hands back aware UTC values.

    SQLite keeps no zone, so without this a value read back would be naive and
    compare wrongly with `utc_now()`; naive input is refused rather than guessed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utc_column(*, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


def created_field() -> dt.datetime:
    return Field(default_factory=utc_now, sa_column=utc_column())


def optional_time_field(*, index: bool = False) -> dt.datetime | None:
    return Field(default=None, sa_column=utc_column(nullable=True, index=index))


def text_enum(enum_type: type[enum.Enum]) -> sa.Enum:
    # Stored as plain strings with a CHECK-free VARCHAR so adding a member needs no
    # PostgreSQL ALTER TYPE; the service layer is the gate for valid values.
    return sa.Enum(
        enum_type,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


# --- residents and sign-in -------------------------------------------------


class UserRole(str, enum.Enum):
    resident = "resident"
    admin = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320)
    # Lower-cased address: one account per mailbox whatever the letter case.
    email_canonical: str = Field(max_length=320, unique=True, index=True)
    password_hash: str = Field(max_length=100)
    role: UserRole = Field(default=UserRole.resident, sa_column=sa.Column(text_enum(UserRole), nullable=False))
    full_name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=20)
    notify_payment_receipts: bool = True
    # The reminder switches (services/reminders.py): «window opens» keeps the column the profile always had.
    notify_reading_reminders: bool = True
    notify_window_closing: bool = True
    notify_verification: bool = True
    notify_new_bill: bool = True
    is_blocked: bool = False
    confirmed_at: dt.datetime | None = optional_time_field()
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = created_field()
    # A closed cabinet (services/closure.py): the row stays, emptied of the person, because the payments
    # the law keeps point at it. Closed by the resident (closed_by_user_id None) or by an administrator
    # on the resident's written request, whose reference is the reason.
    closed_at: dt.datetime | None = optional_time_field()
    closed_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    closure_reason: str = Field(default="", max_length=300)


class TokenPurpose(str, enum.Enum):
    confirm_email = "confirm_email"
    reset_password = "reset_password"
    change_email = "change_email"
    # A platform administrator's invitation to staff: the link sets the invited person's password.
    staff_invitation = "staff_invitation"


class OneTimeToken(SQLModel, table=True):
    """A link sent by e-mail; only the SHA-256 of the token is kept."""

    __tablename__ = "one_time_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: TokenPurpose = Field(sa_column=sa.Column(text_enum(TokenPurpose), nullable=False))
    token_hash: str = Field(max_length=64, unique=True)
    new_email: str | None = Field(default=None, max_length=320)
    # A sign-up's password travels with its confirmation link: only the sign-up whose link the
    # mailbox owner opens sets the account's password (another person's earlier sign-up never does).
    password_hash: str | None = Field(default=None, max_length=100)
    created_at: dt.datetime = created_field()
    expires_at: dt.datetime = Field(sa_column=utc_column())
    used_at: dt.datetime | None = optional_time_field()


class LoginSession(SQLModel, table=True):
    """A signed-in browser; only the SHA-256 of its token is kept."""

    __tablename__ = "login_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    remember: bool = False
    client_address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)
    created_at: dt.datetime = created_field()
    last_seen_at: dt.datetime = created_field()
    expires_at: dt.datetime = Field(sa_column=utc_column(index=True))
    revoked_at: dt.datetime | None = optional_time_field()


class LoginAttempt(SQLModel, table=True):
    """One sign-in try, kept to slow down password guessing."""

    __tablename__ = "login_attempts"

    id: int | None = Field(default=None, primary_key=True)
    email_canonical: str = Field(max_length=320, index=True)
    client_address: str = Field(default="", max_length=64, index=True)
    succeeded: bool = False
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))


# --- providers and their registries ----------------------------------------


class OwnershipCheck(str, enum.Enum):
    """What else, besides the number, proves the resident holds the receipt."""

    none = "none"
    last_bill = "last_bill"
    meter_serial = "meter_serial"
    pin = "pin"


class AccountChecksum(str, enum.Enum):
    """A check digit some providers put at the end of the account number."""

    none = "none"
    luhn = "luhn"


class ReadingWindowPolicy(str, enum.Enum):
    block = "block"
    warn = "warn"


class Provider(SQLModel, table=True):
    __tablename__ = "providers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    inn: str = Field(default="", max_length=12)
    service_description: str = Field(default="", max_length=200)
    # Full-match regular expression for the account number after spaces and dashes are stripped.
    account_pattern: str = Field(max_length=200)
    account_format_description: str = Field(max_length=200)
    account_example: str = Field(max_length=40)
    account_checksum: AccountChecksum = Field(
        default=AccountChecksum.none,
        sa_column=sa.Column(text_enum(AccountChecksum), nullable=False),
    )
    hint_text: str = Field(default="", max_length=1000)
    receipt_image: str = Field(default="", max_length=200)
    ownership_check: OwnershipCheck = Field(
        default=OwnershipCheck.none,
        sa_column=sa.Column(text_enum(OwnershipCheck), nullable=False),
    )
    reading_window_start_day: int = Field(default=15, ge=1, le=31)
    reading_window_end_day: int = Field(default=25, ge=1, le=31)
    reading_window_policy: ReadingWindowPolicy = Field(
        default=ReadingWindowPolicy.block,
        sa_column=sa.Column(text_enum(ReadingWindowPolicy), nullable=False),
    )
    allow_zero_consumption: bool = True
    allow_rollover: bool = True
    # Largest consumption accepted in one period, in thousandths of a unit; None: no cap.
    consumption_cap_thousandths: int | None = None
    support_email: str = Field(default="", max_length=320)
    support_phone: str = Field(default="", max_length=40)
    # The provider's own YooKassa shop (split payments): its part of a payment is transferred there.
    # "" — the platform's shop takes the money and the provider gets it by the payments export.
    yookassa_account_id: str = Field(default="", max_length=32)
    unavailable_message: str = Field(default="", max_length=500)
    # Reminders the provider's residents get (services/reminders.py): «closes in N days», and a switch per kind.
    reminder_closing_days: int = Field(default=3, ge=0, le=31)
    remind_window_opens: bool = True
    remind_window_closing: bool = True
    remind_verification: bool = True
    remind_new_bill: bool = True
    is_active: bool = True
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = created_field()


class StaffRole(str, enum.Enum):
    """What a staff member may do for one provider; a platform administrator (UserRole.admin) needs none."""

    operator = "operator"  # the provider's settings (not its name or INN), registry, accounts, payments, readings
    viewer = "viewer"  # the same scope read-only; exports allowed


class StaffMembership(SQLModel, table=True):
    """One provider a staff member works for, and in which role. A user with none is not staff."""

    __tablename__ = "staff_memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "provider_id", name="uq_staff_memberships_user_provider"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    provider_id: int = Field(foreign_key="providers.id", index=True)
    role: StaffRole = Field(sa_column=sa.Column(text_enum(StaffRole), nullable=False))
    created_at: dt.datetime = created_field()


class UploadedImage(SQLModel, table=True):
    """A picture an operator uploaded (a provider's receipt), served by /api/images/<id>.

    Kept in the database so every backend worker and machine serves the same bytes.
    """

    __tablename__ = "uploaded_images"

    id: int | None = Field(default=None, primary_key=True)
    content_type: str = Field(max_length=40)
    sha256: str = Field(max_length=64, index=True)
    size_bytes: int
    data: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    uploaded_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: dt.datetime = created_field()


class ProviderAccount(SQLModel, table=True):
    """A personal account («лицевой счёт») as the provider's registry gives it."""

    __tablename__ = "provider_accounts"
    __table_args__ = (sa.UniqueConstraint("provider_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="providers.id", index=True)
    number: str = Field(max_length=40)
    address: str = Field(max_length=300)
    owner_name: str = Field(default="", max_length=200)
    # Negative debt means the resident has paid in advance.
    debt_kopecks: int = 0
    penalty_kopecks: int = 0
    balance_as_of: dt.date
    last_bill_kopecks: int | None = None
    pin_hash: str | None = Field(default=None, max_length=100)
    # Counted up by each registry import that raised the debt: the «new bill» reminder is once per raise.
    debt_raises: int = 0
    debt_raised_at: dt.datetime | None = optional_time_field()
    created_at: dt.datetime = created_field()
    updated_at: dt.datetime = created_field()


class MeterKind(str, enum.Enum):
    cold_water = "cold_water"
    hot_water = "hot_water"
    electricity = "electricity"
    electricity_day = "electricity_day"
    electricity_night = "electricity_night"
    gas = "gas"
    heat = "heat"


class Meter(SQLModel, table=True):
    __tablename__ = "meters"
    __table_args__ = (sa.UniqueConstraint("account_id", "kind", "serial"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="provider_accounts.id", index=True)
    kind: MeterKind = Field(sa_column=sa.Column(text_enum(MeterKind), nullable=False))
    serial: str = Field(default="", max_length=40)
    digits_whole: int = Field(default=5, ge=1, le=9)
    digits_fraction: int = Field(default=3, ge=0, le=3)
    tariff_kopecks: int | None = None
    last_value_thousandths: int | None = None
    last_value_date: dt.date | None = None
    verified_until: dt.date | None = None


class AccountLink(SQLModel, table=True):
    """A resident's connection to a personal account; a family may share one account."""

    __tablename__ = "account_links"
    __table_args__ = (sa.UniqueConstraint("user_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    account_id: int = Field(foreign_key="provider_accounts.id", index=True)
    nickname: str = Field(default="", max_length=40)
    created_at: dt.datetime = created_field()


class OwnershipFailure(SQLModel, table=True):
    """A wrong second field when linking; counted per resident to stop registry walking."""

    __tablename__ = "ownership_failures"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    account_id: int = Field(foreign_key="provider_accounts.id")
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))


# --- readings ----------------------------------------------------------------


class ReadingSource(str, enum.Enum):
    resident = "resident"
    payment_form = "payment_form"
    registry_import = "registry_import"


class ReadingStatus(str, enum.Enum):
    accepted = "accepted"
    sent_to_provider = "sent_to_provider"


class MeterReading(SQLModel, table=True):
    __tablename__ = "meter_readings"

    id: int | None = Field(default=None, primary_key=True)
    meter_id: int = Field(foreign_key="meters.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    payment_id: int | None = Field(default=None, foreign_key="payments.id")
    value_thousandths: int
    # First day of the billing month the reading belongs to.
    period: dt.date = Field(index=True)
    source: ReadingSource = Field(sa_column=sa.Column(text_enum(ReadingSource), nullable=False))
    status: ReadingStatus = Field(
        default=ReadingStatus.accepted,
        sa_column=sa.Column(text_enum(ReadingStatus), nullable=False),
    )
    is_rollover: bool = False
    outside_window: bool = False
    submitted_at: dt.datetime = created_field()
    updated_at: dt.datetime = created_field()


# --- payments ----------------------------------------------------------------


class PaymentStatus(str, enum.Enum):
    """YooKassa's statuses, plus `failed` for a payment the gateway never accepted."""

    pending = "pending"
    waiting_for_capture = "waiting_for_capture"
    succeeded = "succeeded"
    canceled = "canceled"
    failed = "failed"


class PaymentPurpose(str, enum.Enum):
    debt = "debt"
    custom_amount = "custom_amount"


class PaymentFailure(str, enum.Enum):
    """Why the gateway never took a payment (texts.PAYMENTS["gateway_errors"] words each)."""

    timeout = "timeout"
    unavailable = "unavailable"
    rejected = "rejected"
    not_found = "not_found"
    # A reason kept before reasons were codes, that matched none of the above.
    unknown = "unknown"


class Payment(SQLModel, table=True):
    """One charge at YooKassa; what it pays for is its parts (one per personal account)."""

    __tablename__ = "payments"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    # The sum of the parts.
    amount_kopecks: int = Field(gt=0)
    status: PaymentStatus = Field(
        default=PaymentStatus.pending,
        sa_column=sa.Column(text_enum(PaymentStatus), nullable=False, index=True),
    )
    # Sent as the Idempotence-Key, so a retried create never makes a second charge.
    idempotency_key: str = Field(max_length=64, unique=True)
    gateway_payment_id: str | None = Field(default=None, max_length=64, unique=True)
    confirmation_url: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=128)
    receipt_email: str = Field(default="", max_length=320)
    cancellation_party: str = Field(default="", max_length=40)
    cancellation_reason: str = Field(default="", max_length=80)
    failure_code: PaymentFailure | None = Field(
        default=None, sa_column=sa.Column(text_enum(PaymentFailure), nullable=True)
    )
    paid_at: dt.datetime | None = optional_time_field()
    # When a status page last claimed the right to ask YooKassa about this payment (a compare-and-set,
    # services/payments/gateway_checks.py): however many tabs and workers poll, one asks per interval.
    gateway_checked_at: dt.datetime | None = optional_time_field()
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))
    updated_at: dt.datetime = created_field()


class PaymentPart(SQLModel, table=True):
    """What one payment pays to one personal account: one line of its receipt, one provider's money."""

    __tablename__ = "payment_parts"
    __table_args__ = (sa.UniqueConstraint("payment_id", "account_id", name="uq_payment_parts_payment_account"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    account_id: int = Field(foreign_key="provider_accounts.id", index=True)
    # Kept with the part (an account never changes provider): what scopes a part for provider staff.
    provider_id: int = Field(foreign_key="providers.id", index=True)
    amount_kopecks: int = Field(gt=0)
    purpose: PaymentPurpose = Field(sa_column=sa.Column(text_enum(PaymentPurpose), nullable=False))
    # The provider's own YooKassa shop the part was transferred to (split payments); "" for the platform's.
    transfer_account_id: str = Field(default="", max_length=32)
    position: int = 0


class LedgerEntry(SQLModel, table=True):
    """Money that reached a provider account (a payment's part), or left it again (a refund, negative)."""

    __tablename__ = "ledger_entries"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="provider_accounts.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    # Unique: a part is booked once and a refund once, whoever delivers the news and how often.
    part_id: int | None = Field(default=None, foreign_key="payment_parts.id", unique=True)
    refund_id: int | None = Field(default=None, foreign_key="refunds.id", unique=True)
    amount_kopecks: int
    booked_at: dt.datetime = created_field()


class RefundStatus(str, enum.Enum):
    """YooKassa's refund statuses, plus `failed` for a refund the gateway never accepted."""

    pending = "pending"
    succeeded = "succeeded"
    canceled = "canceled"
    failed = "failed"


class Refund(SQLModel, table=True):
    """Money returned to the resident from one part of a payment, at an operator's request."""

    __tablename__ = "refunds"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True)
    part_id: int = Field(foreign_key="payment_parts.id", index=True)
    amount_kopecks: int = Field(gt=0)
    reason: str = Field(max_length=250)
    status: RefundStatus = Field(
        default=RefundStatus.pending,
        sa_column=sa.Column(text_enum(RefundStatus), nullable=False, index=True),
    )
    # Made when the refund form opens and sent as the Idempotence-Key: a double click is one refund.
    idempotency_key: str = Field(max_length=64, unique=True)
    gateway_refund_id: str | None = Field(default=None, max_length=64, unique=True)
    requested_by: int | None = Field(default=None, foreign_key="users.id")
    failure_code: PaymentFailure | None = Field(
        default=None, sa_column=sa.Column(text_enum(PaymentFailure), nullable=True)
    )
    cancellation_reason: str = Field(default="", max_length=80)
    refunded_at: dt.datetime | None = optional_time_field()
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))
    updated_at: dt.datetime = created_field()


class NotificationOutcome(str, enum.Enum):
    """What the webhook made of a delivery (texts.ADMIN["webhook_outcomes"] words each)."""

    moved = "moved"  # the payment's status changed to `outcome_status`
    unchanged = "unchanged"  # a repeated or stale delivery: the status stays `outcome_status`
    unknown_status = "unknown_status"  # the API answered a status we do not know (`outcome_status`)
    id_mismatch = "id_mismatch"
    amount_mismatch = "amount_mismatch"
    rejected = "rejected"  # not a payment notification at all
    unknown_payment = "unknown_payment"
    unknown_refund = "unknown_refund"
    gateway_error = "gateway_error"  # the API did not answer our check; YooKassa delivers again
    # An entry kept before outcomes were codes, that matched none of the above.
    unrecognized = "unrecognized"


class PaymentNotification(SQLModel, table=True):
    """Every webhook delivery as received, with what we made of it."""

    __tablename__ = "payment_notifications"

    id: int | None = Field(default=None, primary_key=True)
    received_at: dt.datetime = created_field()
    source_address: str = Field(default="", max_length=64)
    event: str = Field(default="", max_length=64)
    gateway_payment_id: str = Field(default="", max_length=64, index=True)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    outcome: NotificationOutcome = Field(sa_column=sa.Column(text_enum(NotificationOutcome), nullable=False))
    # The payment status the outcome names, as the API spells it; "" when it names none.
    outcome_status: str = Field(default="", max_length=32)


# --- mail and audit ----------------------------------------------------------


class EmailStatus(str, enum.Enum):
    queued = "queued"
    sent = "sent"
    failed = "failed"


class OutgoingEmail(SQLModel, table=True):
    """The outbox: letters are written here in the same transaction as their cause."""

    __tablename__ = "outgoing_emails"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    html_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    # Sent to Resend as the Idempotency-Key so a retry after a lost answer sends nothing twice.
    idempotency_key: str = Field(max_length=64, unique=True)
    status: EmailStatus = Field(
        default=EmailStatus.queued,
        sa_column=sa.Column(text_enum(EmailStatus), nullable=False, index=True),
    )
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    gateway_message_id: str = Field(default="", max_length=64)
    # Extra mail headers as a JSON object (List-Unsubscribe of a reminder); "{}" for none.
    headers: str = Field(default="{}", sa_column=sa.Column(sa.Text, nullable=False, server_default="{}"))
    next_attempt_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))
    created_at: dt.datetime = created_field()
    sent_at: dt.datetime | None = optional_time_field()
    # The letter confirming a closed cabinet: its address and text are erased once it has gone (or failed).
    forget_after_sending: bool = False


class ReminderKind(str, enum.Enum):
    """What a reminder is about (texts.LETTERS words each as «reminder_<kind>»)."""

    window_opens = "window_opens"
    window_closing = "window_closing"
    verification_soon = "verification_soon"
    verification_expired = "verification_expired"
    new_bill = "new_bill"


class ReminderSent(SQLModel, table=True):
    """One reminder that went to the outbox, written in the same transaction as its letter.

    The unique key is what makes a reminder go once: a re-run, a second runner or a clock jump finds
    the row and sends nothing. `subject_id` is the account, or the meter for the verification kinds;
    `period` is the billing month, the verification date or the account's raise count.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "subject_id", "period", name="uq_reminders_sent_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    account_id: int = Field(foreign_key="provider_accounts.id", index=True)
    kind: ReminderKind = Field(sa_column=sa.Column(text_enum(ReminderKind), nullable=False))
    subject_id: int
    period: str = Field(max_length=32)
    email_id: int | None = Field(default=None, foreign_key="outgoing_emails.id")
    created_at: dt.datetime = created_field()


class PublicLetter(SQLModel, table=True):
    """A letter someone outside could make us send (sign-up, reset, …), counted to limit them."""

    __tablename__ = "public_letters"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    # Lower-cased, like users.email_canonical: the limit does not care about letter case.
    recipient: str = Field(max_length=320, index=True)
    client_address: str = Field(default="", max_length=64, index=True)
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))


class DataArchiveStatus(str, enum.Enum):
    preparing = "preparing"
    ready = "ready"
    failed = "failed"


class DataArchive(SQLModel, table=True):
    """A resident's «Мои данные» archive (services/data_archive.py): single-use, a day to download it.

    The bytes live in the database so any worker or machine can serve the link; they are dropped when
    downloaded, when the day is over (the hourly sweep) or when the cabinet closes.
    """

    __tablename__ = "data_archives"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    # Only the SHA-256 of the link's token is kept, as for every link.
    token_hash: str = Field(max_length=64, unique=True)
    status: DataArchiveStatus = Field(
        default=DataArchiveStatus.preparing,
        sa_column=sa.Column(text_enum(DataArchiveStatus), nullable=False),
    )
    content: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    size_bytes: int = 0
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))
    expires_at: dt.datetime = Field(sa_column=utc_column(index=True))
    downloaded_at: dt.datetime | None = optional_time_field()


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utc_now, sa_column=utc_column(index=True))
    actor_user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    action: str = Field(max_length=64, index=True)
    # The provider the event concerns, when there is one: what scopes the journal for provider staff.
    provider_id: int | None = Field(default=None, foreign_key="providers.id", index=True)
    target_type: str = Field(default="", max_length=40)
    target_id: str = Field(default="", max_length=64)
    client_address: str = Field(default="", max_length=64)
    details: str = Field(default="{}", sa_column=sa.Column(sa.Text, nullable=False))

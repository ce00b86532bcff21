"""Webhook throughput on PostgreSQL: our /api/yookassa/webhook against a bare Starlette handler.

Both handlers do the work a notification needs at the least — read the payment back from the
YooKassa stand-in and update one row — ours also keeps its own rules (SDK parsing, forward-only
compare-and-set, ledger, audit, notification log). Measured in one run, reported as a ratio.

    .venv/bin/python -m bench.webhook [--payments 400] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
import uuid

import httpx
import sqlalchemy as sa
import uvicorn
from sqlmodel import Session, SQLModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.stand_ins import free_port

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _serve(app, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server


def _seed(database_url: str, count: int) -> list[str]:
    """A provider, an account, a resident and `count` pending payments the stand-in has as paid."""
    from cabinet.models import AccountLink, Provider, ProviderAccount, User
    from cabinet.sandbox.models import SandboxYookassaPayment
    from tests.factories import make_payment

    engine = sa.create_engine(database_url)
    SQLModel.metadata.create_all(engine)
    now = dt.datetime.now(dt.UTC)
    gateway_ids = []
    with Session(engine) as session:
        provider = Provider(
            name="Бенчмарк",
            account_pattern=r"\d{10}",
            account_format_description="10 цифр",
            account_example="1234567890",
        )
        session.add(provider)
        session.flush()
        account = ProviderAccount(
            provider_id=provider.id, number="1234567890", address="—", debt_kopecks=0, balance_as_of=now.date()
        )
        user = User(
            email="bench@example.com",
            email_canonical="bench@example.com",
            password_hash="x",
            confirmed_at=now,
            notify_payment_receipts=False,
        )
        session.add_all([account, user])
        session.flush()
        session.add(AccountLink(user_id=user.id, account_id=account.id))
        for index in range(count):
            gateway_id = str(uuid.uuid4())
            gateway_ids.append(gateway_id)
            make_payment(
                session,
                user,
                account,
                10_000,
                when=now,
                idempotency_key=f"bench-{index}",
                gateway_payment_id=gateway_id,
            )
            body = {
                "id": gateway_id,
                "status": "succeeded",
                "paid": True,
                "amount": {"value": "100.00", "currency": "RUB"},
                "created_at": "2026-11-25T09:00:00.000Z",
                "captured_at": "2026-11-25T09:01:00.000Z",
                "recipient": {"account_id": "1", "gateway_id": "1"},
                "refundable": True,
                "test": True,
                "metadata": {},
            }
            session.add(
                SandboxYookassaPayment(
                    id=gateway_id,
                    idempotence_key=f"bench-{index}",
                    status="succeeded",
                    body=json.dumps(body),
                    created_at=now,
                )
            )
        session.commit()
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE bare_payments (gateway_id text PRIMARY KEY, status text)"))
        connection.execute(sa.text("INSERT INTO bare_payments SELECT gateway_payment_id, 'pending' FROM payments"))
    engine.dispose()
    return gateway_ids


def _bare_app(database_url: str, stand_in: str) -> Starlette:
    """The least a webhook can do: read the payment back, update one row."""
    engine = sa.create_engine(database_url, pool_size=10)
    client = httpx.Client(base_url=stand_in, auth=("sandbox", "sandbox"), timeout=10)

    def work(payment_id: str) -> str:
        status = client.get(f"/sandbox/yookassa/v3/payments/{payment_id}").json()["status"]
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE bare_payments SET status = :s WHERE gateway_id = :id AND status = 'pending'"),
                {"s": status, "id": payment_id},
            )
        return status

    async def webhook(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        status = await asyncio.to_thread(work, body["object"]["id"])
        return JSONResponse({"result": status})

    return Starlette(routes=[Route("/webhook", webhook, methods=["POST"])])


async def _fire(url: str, gateway_ids: list[str], concurrency: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    failures = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for gateway_id in gateway_ids:
        queue.put_nowait(gateway_id)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            gateway_id = queue.get_nowait()
            body = {
                "type": "notification",
                "event": "payment.succeeded",
                "object": {
                    "id": gateway_id,
                    "status": "succeeded",
                    "paid": True,
                    "amount": {"value": "100.00", "currency": "RUB"},
                    "created_at": "2026-11-25T09:00:00.000Z",
                    "recipient": {"account_id": "1", "gateway_id": "1"},
                    "refundable": True,
                    "test": True,
                },
            }
            started = time.perf_counter()
            response = await client.post(url, content=json.dumps(body))
            latencies.append(time.perf_counter() - started)
            failures += response.status_code != 200

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, failures


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    database_url = create_postgres_database()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ.update(DATABASE_URL=database_url, PUBLIC_URL=base, BCRYPT_ROUNDS="4")
    for name in ("YOOKASSA_SHOP_ID", "YOOKASSA_SECRET_KEY", "YOOKASSA_API_URL"):
        os.environ.pop(name, None)
    try:
        from cabinet.api.payments import payment_routes
        from cabinet.config import get_settings
        from cabinet.sandbox import sandbox_routes

        get_settings.cache_clear()
        ours_ids = _seed(database_url, args.payments)
        settings = get_settings()
        servers = [_serve(Starlette(routes=[*sandbox_routes(settings), *payment_routes(settings)]), port)]
        bare_port = free_port()
        servers.append(_serve(_bare_app(database_url, base), bare_port))

        ours = asyncio.run(_fire(f"{base}/api/yookassa/webhook", ours_ids, args.concurrency))
        bare = asyncio.run(_fire(f"http://127.0.0.1:{bare_port}/webhook", ours_ids, args.concurrency))
        engine = sa.create_engine(database_url)
        with engine.connect() as connection:
            credited = connection.execute(sa.text("SELECT count(*) FROM ledger_entries")).scalar_one()
        engine.dispose()
        for server in servers:
            server.should_exit = True
    finally:
        drop_postgres_database(database_url)

    rows = []
    for name, (elapsed, latencies, failures) in (
        ("Кабинет /api/yookassa/webhook", ours),
        ("bare Starlette handler", bare),
    ):
        rows.append((name, len(latencies) / elapsed, _p95(latencies) * 1000, failures))
    print(f"\nWebhook throughput on PostgreSQL: {args.payments} notifications, {args.concurrency} at a time\n")
    print("| handler | notifications/s | p95, ms | non-200 |")
    print("| --- | ---: | ---: | ---: |")
    for name, rate, p95, failures in rows:
        print(f"| {name} | {rate:.0f} | {p95:.0f} | {failures} |")
    ratio = rows[0][1] / rows[1][1]
    print(
        f"\nRatio (ours / bare): {ratio:.2f} (target ≥ 0.5: {'met' if ratio >= 0.5 else 'NOT met'}); "
        f"payments credited: {credited} of {args.payments}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

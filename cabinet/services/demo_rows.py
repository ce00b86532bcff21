"""The demo's rows written idempotently: found and brought to the wanted values, or created (see demo.py)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, SQLModel, select

from cabinet.models import User, UserRole
from cabinet.services.passwords import hash_password


def upsert(session: Session, model: type[SQLModel], key: dict, values: dict, now: dt.datetime) -> tuple[SQLModel, bool]:
    """The row matching `key`, created or brought to `values`; True when anything was written."""
    row = session.exec(select(model).filter_by(**key)).first()
    if row is None:
        extra = {name: now for name in ("created_at", "updated_at") if name in model.model_fields}
        row = model(**key, **values, **extra)
        session.add(row)
        session.flush()
        return row, True
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        return row, False
    for name, value in changed.items():
        setattr(row, name, value)
    if "updated_at" in model.model_fields:
        row.updated_at = now
    session.add(row)
    return row, True


def demo_user(
    session: Session, *, email: str, password: str, role: UserRole, now: dt.datetime, **profile
) -> tuple[User, bool]:
    user = session.exec(select(User).where(User.email_canonical == email)).first()
    if user is not None:
        return user, False
    user = User(
        email=email,
        email_canonical=email,
        password_hash=hash_password(password),
        role=role,
        confirmed_at=now,
        created_at=now,
        updated_at=now,
        **profile,
    )
    session.add(user)
    session.flush()
    return user, True

"""States of /settings («Настройки»): one per form, each loading what it shows."""

from __future__ import annotations

from cabinet.state.settings.accounts import SettingsAccountsState
from cabinet.state.settings.closing import SettingsClosingState
from cabinet.state.settings.email import SettingsEmailState
from cabinet.state.settings.my_data import SettingsDataState
from cabinet.state.settings.password import SettingsPasswordState
from cabinet.state.settings.profile import SettingsProfileState

# What /settings runs when it opens, after the sign-in check.
ON_LOAD = [
    SettingsAccountsState.load,
    SettingsProfileState.load,
    SettingsPasswordState.load,
    SettingsEmailState.load,
    SettingsDataState.load,
    SettingsClosingState.load,
]

__all__ = [
    "ON_LOAD",
    "SettingsAccountsState",
    "SettingsClosingState",
    "SettingsDataState",
    "SettingsEmailState",
    "SettingsPasswordState",
    "SettingsProfileState",
]

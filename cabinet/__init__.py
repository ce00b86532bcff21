"""Кабинет: a resident self-service cabinet for utility bills."""

__version__ = "0.1.0"

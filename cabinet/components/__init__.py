"""Reusable page pieces: the layout shell, hints, money."""

"""Domain rules as plain functions: no Reflex here, a Session is passed in."""

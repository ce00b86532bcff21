"""Reflex State classes, one module per page; thin: parse input, call a service, show the result."""

"""Page layouts only: components bound to State; no rules live here."""

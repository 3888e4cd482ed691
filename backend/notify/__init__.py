"""Delivering alert notices outside the database: e-mail over SMTP and signed webhooks."""

"""Assertions about what a request did: forms, queries, messages."""

from __future__ import annotations

from django_integration_kit.forms import submit_form

__all__ = ["submit_form"]

"""Shared fixtures: the fixed cast of people, and the switches for the integration pass."""

from __future__ import annotations

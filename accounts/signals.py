"""Signals other apps listen to. The sender is the ``User`` class."""

from django.dispatch import Signal

# Sent by ``accounts.services.account_delete`` inside its transaction, with ``user`` (the
# departing person, already anonymised) and ``actor``. A receiver that raises rolls the
# whole deletion back, so receivers end what belongs to the person (memberships) there.
account_deleted = Signal()

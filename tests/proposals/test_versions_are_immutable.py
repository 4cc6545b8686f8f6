"""A submitted version never changes: the database refuses UPDATE and DELETE of a version
row, whichever way it is attempted, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from proposals import services
from proposals.models import Proposal, ProposalVersion
from tests.proposals.conftest import Cast, actor


@pytest.fixture
def version(cast: Cast, draft: Proposal) -> ProposalVersion:
    return services.proposal_submit(actor=actor(cast.olu), proposal=draft)


def _unchanged(version: ProposalVersion) -> None:
    stored = ProposalVersion.objects.get(pk=version.pk)
    assert stored.title == "Naloxone on the night bus"
    assert stored.content_hash == version.content_hash


def test_no_service_changes_a_version() -> None:
    """Versions are only ever created, by ``proposal_submit``."""
    writers = [name for name in dir(services) if name.startswith("proposal_")]
    assert sorted(writers) == [
        "proposal_cosign",
        "proposal_create_draft",
        "proposal_decline_cosign",
        "proposal_invite_cosigner",
        "proposal_revoke_cosign_request",
        "proposal_submit",
        "proposal_update_draft",
        "proposal_withdraw",
    ]


def test_saving_a_changed_version_is_refused(version: ProposalVersion) -> None:
    version.title = "Something else"
    # IntegrityError on both databases; DatabaseError is its base class.
    with pytest.raises(DatabaseError, match="never changes"), transaction.atomic():
        version.save()
    _unchanged(version)


def test_a_queryset_update_of_a_version_is_refused(version: ProposalVersion) -> None:
    with pytest.raises(DatabaseError, match="never changes"), transaction.atomic():
        ProposalVersion.objects.filter(pk=version.pk).update(title="Something else")
    _unchanged(version)


def test_deleting_a_version_through_the_orm_is_refused(version: ProposalVersion) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        ProposalVersion.objects.filter(pk=version.pk).delete()
    _unchanged(version)


def test_a_raw_sql_update_of_a_version_is_refused(version: ProposalVersion) -> None:
    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE proposals_proposalversion SET content_hash = %s WHERE id = %s",
            ["0" * 64, version.pk],
        )
    _unchanged(version)


def test_a_raw_sql_delete_of_a_version_is_refused(version: ProposalVersion) -> None:
    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM proposals_proposalversion WHERE id = %s", [version.pk])
    _unchanged(version)

"""factory_boy factories for the fixed cast and the objects they act on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.db import models

from accounts.models import User

ModelT = TypeVar("ModelT", bound=models.Model)


class ModelFactory(factory.django.DjangoModelFactory[ModelT]):
    """A Django model factory whose call, like its create(), gives the model it builds."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass makes Factory(...) return the model, which mypy cannot
        # see through an untyped metaclass __call__; this __new__ only tells it so.
        def __new__(cls, **kwargs: Any) -> ModelT:  # type: ignore[misc]
            ...


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    public_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.org")
    password = factory.django.Password("a long demo passphrase")


# --- Organisations and decision spaces (built directly: tests of services use the services) ---

from organisations.models import Organisation, OrganisationEditor  # noqa: E402
from spaces.models import DecisionSpace, Membership, Rulebook  # noqa: E402


class OrganisationFactory(ModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    status = Organisation.Status.PENDING


class OrganisationEditorFactory(ModelFactory[OrganisationEditor]):
    class Meta:
        model = OrganisationEditor

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)


class DecisionSpaceFactory(ModelFactory[DecisionSpace]):
    class Meta:
        model = DecisionSpace
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    rulebook = factory.RelatedFactory(
        "tests.factories.RulebookFactory", factory_related_name="space"
    )


class RulebookFactory(ModelFactory[Rulebook]):
    class Meta:
        model = Rulebook

    space = factory.SubFactory(DecisionSpaceFactory, rulebook=None)
    version = 1
    # The floor, not the default of 3: the tests' boards are small (three members), and
    # their rounds reach a quorum without every member. Tests of the minimum set it.
    minimum_reviews = 2


class MembershipFactory(ModelFactory[Membership]):
    class Meta:
        model = Membership

    space = factory.SubFactory(DecisionSpaceFactory)
    user = factory.SubFactory(UserFactory)
    role = "electorate"


# --- Proposals (built directly; tests of services use the services) ---

from proposals.models import Proposal, ProposalDraft  # noqa: E402


class ProposalFactory(ModelFactory[Proposal]):
    class Meta:
        model = Proposal

    space = factory.SubFactory(DecisionSpaceFactory)
    created_by = factory.SubFactory(UserFactory)
    organisation = None


class ProposalDraftFactory(ModelFactory[ProposalDraft]):
    class Meta:
        model = ProposalDraft

    proposal = factory.SubFactory(ProposalFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")

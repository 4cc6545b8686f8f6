"""What the API's write endpoints have in common, written once.

Nearly every write endpoint does the same four things: find what its address names (a
space, an organisation, a membership), check the body with a serializer, ask one service
for the change (the service checks permission and state), and answer with a serializer
over what changed. ``ServiceCall`` is that POST; a view says only what differs:

    class LeaveStart(ServiceCall):
        tags = ["spaces"]
        summary = "Start a leave of absence (the board member, or a facilitator)"
        answer = OwnMembershipSerializer
        status_code = 201

        def subject(self, request):
            kwargs = self.kwargs
            return get_object_or_404(Membership, pk=kwargs["pk"], space__slug=kwargs["slug"])

        def call(self, membership, values):
            services.leave_start(actor=Actor.from_request(self.request), membership=membership)
            return membership

- ``subject(request)`` finds what the address names (in ``self.kwargs``, as in DRF's
  generic views) and makes any check that must come before the body is read (permission
  before looking anyone up, a rate limit before a code is tried): its 404, 403 or 429
  comes before a 400. By default there is nothing to find (None).
- ``body``, a serializer class, checks the request's data (a 400 naming each field, in
  the API's one error format); None for an endpoint that takes no body. ``call`` gets its
  ``validated_data`` (an empty dict without a body).
- ``call(subject, values)`` calls the service and returns what to answer with.
- ``respond(result)`` answers ``answer(result).data`` with ``status_code``; override it
  for an answer that adds what no model holds (a code shown once, see ``shown_once``).

The OpenAPI operation is made from the same attributes (``body`` as the request,
``answer`` under ``status_code`` unless ``responses`` says otherwise, ``tags``,
``summary``, ``operation_description``) for each class that sets its own ``summary``, so
the schema and what the endpoint does cannot drift apart; a class without one (an app's
shared base, such as ``spaces.api.SpaceCall``) gets no operation. A view's class
docstring is still its operation's description when it has no ``operation_description``,
as for any DRF view; so a shared base must have none, or every operation below it would
be described by it.

The read side is ``Read``: a GET that finds what its address names and answers it
through one serializer, its operation made from the same attributes (``answer``, as a list
when ``many``; ``tags``, ``summary``, ``operation_description``, ``responses``):

    class VersionList(Read):
        tags = TAGS
        summary = "Every submitted version, oldest first"
        answer = VersionEntrySerializer
        many = True

        def read(self, request):
            _actor, proposal = visible(request, self.kwargs["space_slug"], self.kwargs["pk"])
            return selectors.versions_of(proposal)

- ``read(request)`` finds what to answer with (its 404 or 403 first).
- ``respond(result)`` answers ``answer(result, many=many).data``, with the request in the
  serializer's context (as DRF's generic views give it) and, when ``personal`` (the
  answer is the caller's own), ``Cache-Control: private, no-store``; override it for any
  other caching (private only for someone signed in, say).

A class gets an operation when it sets its own ``summary`` or ``answer`` (a read with no
summary, as some published operations are, sets only ``answer``). One class cannot be
both (``summary`` and ``answer`` would name two operations at once): a view that reads and
writes at one address keeps a decorated ``get`` beside its ``ServiceCall``, or a decorated
write beside its ``Read``.

This module needs nothing from any app, only ``core.caching`` (who acts is the view's
business: ``call`` reads ``self.request``), so every app's API can build on it, the higher
ones (proposals, advisory, voting) as well as accounts, organisations and spaces.
``validated`` and ``shown_once`` serve the endpoints that do not fit the shape.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from core.caching import private


def validated(
    serializer_class: type[BaseSerializer[Any]], request: Request, **options: Any
) -> dict[str, Any]:
    """The request's data as ``serializer_class`` accepts it, or the 400 that names each
    field it refuses. ``options`` go to the serializer (``partial=True`` for a PATCH)."""
    data = serializer_class(data=request.data, **options)
    data.is_valid(raise_exception=True)
    values: dict[str, Any] = data.validated_data
    return values


def shown_once(response: Response) -> Response:
    """Mark an answer that holds a secret shown only now (a one-time code, a link's
    token): no cache may keep it."""
    patch_cache_control(response, no_store=True, private=True)
    return response


class _Described(APIView):
    # What ServiceCall and Read share: the attributes that one method's OpenAPI operation
    # is made from. (No docstring: it would describe every operation below it.)

    answer: ClassVar[type[BaseSerializer[Any]]]
    tags: ClassVar[list[str]] = []
    summary: ClassVar[str] = ""
    operation_description: ClassVar[str | None] = None
    # What the schema says the answers are, where it says other than ``_answers()`` (a
    # published schema keeps what it said).
    responses: ClassVar[Any] = None

    @classmethod
    def _answers(cls) -> Any:
        return cls.answer

    @classmethod
    def _describe(cls, method: str, **options: Any) -> None:
        responses = cls.responses if cls.responses is not None else cls._answers()
        operation = extend_schema(
            responses=responses,
            tags=cls.tags,
            summary=cls.summary,
            description=cls.operation_description,
            **options,
        )
        extend_schema_view(**{method: operation})(cls)


class ServiceCall(_Described):
    # No class docstring: drf-spectacular would give it to every subclass's operation as
    # its description. What this class does is the module's docstring.

    body: ClassVar[type[BaseSerializer[Any]] | None] = None
    status_code: ClassVar[int] = 200

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "summary" in vars(cls):
            cls._describe("post", request=cls.body)

    @classmethod
    def _answers(cls) -> Any:
        return cls.answer if cls.status_code == 200 else {cls.status_code: cls.answer}

    def post(self, request: Request, **kwargs: Any) -> Response:
        subject = self.subject(request)
        values = validated(self.body, request) if self.body is not None else {}
        return self.respond(self.call(subject, values))

    def subject(self, request: Request) -> Any:
        return None

    def call(self, subject: Any, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def respond(self, result: Any) -> Response:
        return Response(self.answer(result).data, status=self.status_code)


class Read(_Described):
    # No class docstring, as for ServiceCall: the module's docstring says what it does.

    many: ClassVar[bool] = False
    # The answer is the caller's own (their review, their page): no cache keeps it.
    personal: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "summary" in vars(cls) or "answer" in vars(cls):
            cls._describe("get")

    @classmethod
    def _answers(cls) -> Any:
        return cls.answer(many=True) if cls.many else cls.answer

    def get(self, request: Request, **kwargs: Any) -> Response:
        return self.respond(self.read(request))

    def read(self, request: Request) -> Any:
        raise NotImplementedError

    def respond(self, result: Any) -> Response:
        context = {"request": self.request}
        response = Response(self.answer(result, many=self.many, context=context).data)
        return private(response) if self.personal else response

"""``api.base.ServiceCall``: the subject is found and checked before the body is read,
the body is checked before the service is called, and the answer and the OpenAPI
operation are both made from the view's attributes."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.base import ServiceCall

calls: list[dict[str, Any]] = []


class NoteBody(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=10)


class NoteAnswer(serializers.Serializer[Any]):
    shelf = serializers.CharField()
    text = serializers.CharField()


class NoteCall(ServiceCall):
    # A shared base of an app's calls: no summary, so no operation of its own.
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    tags = ["notes"]

    def subject(self, request: Request) -> str:
        shelf = str(self.kwargs["shelf"])
        if shelf == "missing":
            raise NotFound("No such shelf.")
        return shelf


class NoteAdd(NoteCall):
    summary = "Add a note to a shelf"
    operation_description = "The note comes back as it was kept."
    body = NoteBody
    answer = NoteAnswer
    status_code = 201

    def call(self, shelf: str, values: dict[str, Any]) -> dict[str, str]:
        calls.append(values)
        return {"shelf": shelf, "text": values["text"]}


def _post(data: dict[str, Any], shelf: str = "top") -> Any:
    calls.clear()
    request = APIRequestFactory().post("/", data, format="json")
    return NoteAdd.as_view()(request, shelf=shelf)


def test_a_call_answers_what_the_service_returns_with_its_status() -> None:
    response = _post({"text": "milk"})

    assert response.status_code == 201
    assert response.data == {"shelf": "top", "text": "milk"}
    assert calls == [{"text": "milk"}]


def test_a_body_the_serializer_refuses_never_reaches_the_service() -> None:
    response = _post({"text": "far too long a note"})

    assert response.status_code == 400
    assert calls == []


def test_the_subject_is_refused_before_the_body_is_read() -> None:
    response = _post({"text": "far too long a note"}, shelf="missing")

    assert response.status_code == 404
    assert calls == []


def test_the_operation_is_made_from_the_same_attributes() -> None:
    patterns = [path("shelves/<str:shelf>/notes/", NoteAdd.as_view())]

    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    operation = schema["paths"]["/shelves/{shelf}/notes/"]["post"]
    assert operation["summary"] == "Add a note to a shelf"
    assert operation["description"] == "The note comes back as it was kept."
    assert operation["tags"] == ["notes"]
    assert "requestBody" in operation
    assert "201" in operation["responses"]
    assert "200" not in operation["responses"]

"""Every URL pattern of the site, as a concrete path a test can request.

``every_path()`` walks ``get_resolver().url_patterns`` recursively (admin, API docs,
and whatever a later feature adds), fills each path parameter with a plausible value,
and checks that the path resolves back to the pattern it came from. A pattern it cannot
fill raises, naming the pattern, so that a new URL is never skipped silently: add a
sample value for its parameter to ``SAMPLES`` below.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

# Plausible values by parameter name, then generic ones tried in order against the
# converter's (or group's) regular expression.
SAMPLES: dict[str, str] = {
    "kind": "space.created",
}
GENERIC = ["1", "example", str(uuid.UUID(int=1)), "0" * 64, "example/path"]

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass(frozen=True)
class SitePath:
    path: str
    pattern: str  # the full pattern, as written, for messages
    name: str | None


def every_path(overrides: Mapping[str, str] | None = None) -> list[SitePath]:
    """One concrete path per URL pattern of the site. ``overrides`` maps a parameter
    name to the value to use (e.g. ``{"object_id": str(user.pk)}`` to reach a real
    admin change page)."""
    samples = {**SAMPLES, **(overrides or {})}
    paths = []
    for pieces, leaf in _leaves(get_resolver().url_patterns, []):
        chain: list[URLResolver | URLPattern] = [*pieces, leaf]
        pattern = "".join(str(piece.pattern) for piece in chain)
        path = "/" + "".join(_fill(piece.pattern, samples, pattern) for piece in chain)
        match = resolve(path)
        if match.func is not leaf.callback:
            raise AssertionError(
                f"URL pattern {pattern!r} was filled in as {path!r}, which resolves to "
                f"{match.view_name or match._func_path!r} instead. Add a sample value for "
                "its parameters to tests/urlwalk.py SAMPLES."
            )
        paths.append(SitePath(path=path, pattern=pattern, name=match.view_name or None))
    return paths


def _leaves(
    patterns: list[Any], pieces: list[URLResolver]
) -> Iterator[tuple[list[URLResolver], URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _leaves(entry.url_patterns, [*pieces, entry])
        else:
            yield pieces, entry


def _fill(pattern: Any, samples: Mapping[str, str], whole: str) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)

        def parameter(match: re.Match[str]) -> str:
            name = match.group("name")
            converter = pattern.converters[name]
            return _choose(name, converter.regex, samples, whole)

        return _ROUTE_PARAMETER.sub(parameter, route)
    if isinstance(pattern, RegexPattern):
        regex = str(pattern.regex.pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")

        def group(match: re.Match[str]) -> str:
            return _choose(match.group("name"), match.group("body"), samples, whole)

        filled = _NAMED_GROUP.sub(group, regex)
        return re.sub(r"\\(.)", r"\1", filled)
    raise AssertionError(f"Unknown kind of URL pattern in {whole!r}: {pattern!r}")


def _choose(name: str, regex: str, samples: Mapping[str, str], whole: str) -> str:
    alternatives = regex.split("|")
    candidates = [samples.get(name), *GENERIC, alternatives[0]]
    for candidate in candidates:
        if candidate is not None and re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(
        f"No sample value fits parameter {name!r} ({regex}) of URL pattern {whole!r}; "
        "add one to tests/urlwalk.py SAMPLES."
    )

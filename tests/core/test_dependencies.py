"""The apps depend on each other in one direction only.

Every module of every app (migrations aside) is read with ``ast``; every import counts,
at module level, inside a function or under ``TYPE_CHECKING``. An app may import an app
below it in ``ORDER``, never one above; ``core`` imports no app at all. ``pages``, ``demo``
and ``config`` are the glue on top and may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lower first. Apps on one line share a rank and may not import each other.
ORDER: list[tuple[str, ...]] = [
    ("core",),
    ("api",),
    ("history", "notifications"),
    ("accounts",),
    ("organisations",),
    ("spaces",),
    ("proposals",),
    ("advisory",),
    ("voting",),
]
GLUE = ("pages", "demo", "config")

RANK = {app: rank for rank, apps in enumerate(ORDER) for app in apps}
APPS = frozenset(RANK) | frozenset(GLUE)


def _imported_modules(tree: ast.AST, *, package: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def _modules(root: Path, app: str) -> list[Path]:
    return sorted(
        path
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.relative_to(root).parts
    )


def violations(root: Path = ROOT) -> list[str]:
    """``file:line imports module`` for every import that goes up the order."""
    found: list[str] = []
    for app, rank in RANK.items():
        for path in _modules(root, app):
            relative = path.relative_to(root)
            package = ".".join(relative.with_suffix("").parts[:-1])
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, module in _imported_modules(tree, package=package):
                target = module.split(".")[0]
                if target not in APPS or target == app:
                    continue
                if app == "core" or target in GLUE or RANK[target] >= rank:
                    found.append(f"{relative}:{line} imports {module}")
    return found


def test_every_app_is_listed() -> None:
    """A new app must take its place in the order (or be named glue) to be checked."""
    on_disk = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert on_disk | {"config"} == APPS


def test_no_app_imports_an_app_above_it() -> None:
    found = violations()
    assert not found, "Imports against the order of the apps:\n" + "\n".join(found)

"""The teacher's view: one row a served tab, from the status each tab writes in its own
folder (``tui.serve_status``), as a plain HTML page that refreshes itself (no script, nothing
from any other host)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import NAME_LENGTH, TEMPLATES

REFRESH = 1          # seconds between two refreshes of the page
MOST_BYTES = 64 * 1024
"""A status file larger than this is not one a tab wrote."""

_pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                            autoescape=True)    # names and answers come from students


@dataclass(frozen=True)
class Row:
    """One tab as the teacher sees it."""

    name: str
    lesson: str | None
    page: str
    questions: list[tuple[str, str]]
    epoch: str
    loss: str
    state: str


def read_status(path: Path | None) -> dict[str, Any]:
    """The status a tab wrote at ``path`` ({} if there is none yet or it is not one)."""
    try:
        if path is None or path.stat().st_size > MOST_BYTES:
            return {}
        status = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


def clean_name(text: object) -> str:
    """``text`` as a name to show: printable characters only, at most ``NAME_LENGTH``; ""
    if it is not text or holds none."""
    if not isinstance(text, str):
        return ""
    return "".join(c for c in text if c.isprintable()).strip()[:NAME_LENGTH].strip()


def student_name(text: str | None, number: int) -> str:
    """The name a student gave (``clean_name``), else ``tab N``."""
    return clean_name(text) or f"tab {number}"


def row(name: str, status: dict[str, Any]) -> Row:
    """The teacher's row for a tab with ``status``, called by the name the student typed in
    it, else ``name``."""
    name = clean_name(status.get("name")) or name

    def shown(key: str, form: str = "{}") -> str:
        value = status.get(key)
        return "" if value is None else form.format(value)

    page = f"{status['page']} / {status['pages']}" if status.get("page") else ""
    questions = [(str(q), str(v)) for q, v in status.get("questions") or []
                 if v in ("right", "wrong", "not yet")]
    loss = status.get("loss")
    return Row(name, status.get("lesson"), page, questions, shown("epoch"),
               f"{loss:.4g}" if isinstance(loss, int | float) else "", shown("state"))


def teacher_page(rows: list[Row]) -> str:
    """The teacher's page with ``rows``."""
    return _pages.get_template("teacher.html").render(rows=rows, refresh=REFRESH)

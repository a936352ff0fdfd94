"""Immutable content of a course version, cached in this process (issue 19 item 3).

A course version never changes once loaded (a changed course file becomes a new version with a new
``content_hash``), so what a page shows of it — the outline (lesson ids, slugs, titles, minutes), a lesson's
HTML, the question bank (``learning.assessment.bank``) — is read from the database once per process and kept
in a bounded LRU keyed by ``(kind, course_version id, content_hash, …)``. Publishing a new version changes
the course's current version, and with it the key: nothing is ever invalidated by hand. The hash is part
of the key so that a reused id (tests empty their tables between runs) never serves another content.

The values are frozen plain objects, never ORM instances: they are shared by every request and thread of
the process, and must not be changed. ``CONTENT_CACHE_ENTRIES`` (default 512) bounds the entries; the least
recently used one leaves first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import select

from learning.catalog.models import CourseVersion, Lesson
from learning.extensions import db

T = TypeVar("T")
DEFAULT_ENTRIES = 512
_EXTENSION = "learning_content_cache"


class LRUCache:
    """A thread-safe mapping that holds at most ``maxsize`` entries, dropping the least recently used."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = max(1, maxsize)
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            try:
                self._data.move_to_end(key)
            except KeyError:
                self.misses += 1
                return None
            self.hits += 1
            return self._data[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data


def cache() -> LRUCache:
    """This app's content cache (one per app, so two databases in one process never share entries)."""
    found = current_app.extensions.get(_EXTENSION)
    if found is None:
        size = int(current_app.config.get("CONTENT_CACHE_ENTRIES", DEFAULT_ENTRIES))
        found = current_app.extensions.setdefault(_EXTENSION, LRUCache(size))
    return found


def cached(kind: str, version_id: int, content_hash: str, load: Callable[[], T], *extra: Hashable) -> T:
    """The entry ``(kind, version_id, content_hash, *extra)``, loaded with ``load()`` when missing.

    Two requests missing at once both load it; the result is the same, the later one is kept."""
    key = (kind, version_id, content_hash, *extra)
    store = cache()
    value = store.get(key)
    if value is None:
        value = load()
        store.put(key, value)
    return value


@dataclass(frozen=True)
class LessonEntry:
    """One lesson of the outline, without its body."""

    id: int
    position: int
    slug: str
    title: str
    minutes: int


@dataclass(frozen=True)
class Outline:
    """What a course version is made of, in order: its title and lessons."""

    version_id: int
    content_hash: str
    title: str
    lessons: tuple[LessonEntry, ...]

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(lesson.slug for lesson in self.lessons)

    def index(self, slug: str) -> int | None:
        return next((i for i, lesson in enumerate(self.lessons) if lesson.slug == slug), None)


def outline(version_id: int, content_hash: str) -> Outline:
    def load() -> Outline:
        title = db.session.scalar(select(CourseVersion.title).where(CourseVersion.id == version_id)) or ""
        rows = db.session.execute(
            select(Lesson.id, Lesson.position, Lesson.slug, Lesson.title, Lesson.minutes)
            .where(Lesson.course_version_id == version_id).order_by(Lesson.position)).all()
        return Outline(version_id, content_hash, title, tuple(LessonEntry(*row) for row in rows))

    return cached("outline", version_id, content_hash, load)


def outline_of(version: CourseVersion) -> Outline:
    return outline(version.id, version.content_hash)


def lesson_html(version_id: int, content_hash: str, lesson_id: int) -> str:
    """The rendered body of one lesson of that version."""
    return cached("lesson", version_id, content_hash,
                  lambda: db.session.scalar(select(Lesson.body_html).where(Lesson.id == lesson_id)) or "",
                  lesson_id)


def clear() -> None:
    """Drop every entry (tests that empty the tables call this; content itself never needs it)."""
    cache().clear()

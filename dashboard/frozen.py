"""A meeting's frozen edition: its slides and report made again byte for byte, checked by SHA-256.

Office files are ZIP archives, and a ZIP records each member's modification time: saved twice, the
same document differs in those bytes. ``stable_zip`` rewrites an archive with one fixed time and
fixed attributes, member order kept, so the same content always gives the same bytes. A meeting
keeps the snapshot id, its filters and the files' SHA-256 (``conclusions.freeze``); ``meeting_files``
builds them from those, with the conclusions as they stood when the meeting was frozen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine

# The earliest time a ZIP can hold (MS-DOS epoch); any fixed value would do.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(data: bytes) -> bytes:
    """The same archive with every member's time and attributes fixed (order and content kept)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Edition:
    """A meeting's files as made now, and how they compare with the digests kept when it was frozen."""

    files: dict[str, bytes]
    kept: dict[str, str]

    @property
    def digests(self) -> dict[str, str]:
        return {name: sha256(data) for name, data in self.files.items()}

    @property
    def identical(self) -> bool:
        """Every kept file is made again byte for byte."""
        return bool(self.kept) and all(self.digests.get(name) == digest for name, digest in self.kept.items())

    def differing(self) -> list[str]:
        return [name for name, digest in self.kept.items() if self.digests.get(name) != digest]


def meeting_files(
    engine: Engine,
    access,
    meeting,
    pack,
    view,
    images: Mapping[str, bytes] | None = None,
    at: dt.datetime | None = None,
) -> dict[str, bytes]:
    """The slides and the Word report of ``meeting`` from its ``pack``, with the follow-up and the notice.

    The conclusions are taken as they stood at ``at`` (default: when the meeting was frozen, or
    now for a meeting not frozen yet), so the same meeting gives the same files later on. ``view``:
    the view the pack was built from (``view.View``); its unit tree names the units.
    """
    from dashboard import conclusions, goals, report, slides

    at = at or meeting.frozen_at
    geography = view.geography
    # "Now" of the follow-up: the targets of the unit and the units below it, as the pack judges them.
    results = goals.evaluate(
        view, unit=pack.unit_code, year=pack.year, as_of=pack.period_end.replace(day=1),
        descendants=True,
    )  # fmt: skip
    follow = conclusions.follow_up(
        engine, access, geography, unit_code=meeting.unit_code, period=meeting.period, on=meeting.held_on,
        results=results, at=at,
    )  # fmt: skip
    own = conclusions.list_conclusions(engine, access, geography, meeting_id=meeting.id, at=at)
    return {
        slides.slides_file_name(pack): slides.build_slides(pack, images, follow_up=follow),
        report_name(pack): report.report_docx(pack, images, follow_up=follow, notice=(meeting, own)),
    }


def report_name(pack) -> str:
    from dashboard.export import file_name

    return file_name("bao-cao", pack.unit_name, pack.period_label, ext="docx")

"""The command line of meetings: list them with their conclusions in a scope; make a meeting's pack again."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import conclusions as cl
from dashboard import frozen, store
from dashboard.access import FULL_ACCESS, VIEWER, Access
from dashboard.formatting import fmt_date
from dashboard.geography import COUNTRY_CODE, Geography


def add_parsers(sub) -> None:
    """The ``meetings`` and ``meeting-pack`` commands."""
    p = sub.add_parser("meetings", help="liệt kê các cuộc họp giao ban và kết luận (trong một phạm vi)")
    p.add_argument("--data", type=Path, default=Path("data"), help="thư mục dữ liệu (mặc định data)")
    p.add_argument(
        "--scope", nargs="+", default=[COUNTRY_CODE],
        help="chỉ kết luận về các đơn vị này và cấp dưới, như người xem có quyền đó (mặc định VN)",
    )  # fmt: skip
    p.add_argument("--on", type=_date, help="ngày xét quá hạn, dd/mm/yyyy (mặc định hôm nay)")
    p.set_defaults(func=cmd_meetings)

    p = sub.add_parser(
        "meeting-pack", help="tạo lại bản trình chiếu và báo cáo Word của một cuộc họp, so với bản đã chốt"
    )
    p.add_argument("--data", type=Path, default=Path("data"), help="thư mục dữ liệu (mặc định data)")
    p.add_argument("--id", type=int, required=True, help="số cuộc họp (xem lệnh meetings)")
    p.add_argument("--out", type=Path, required=True, help="thư mục ghi các tệp")
    p.add_argument("--no-images", action="store_true", help="không vẽ ảnh biểu đồ (không cần trình duyệt)")
    p.add_argument("--freeze", action="store_true", help="chốt bộ tài liệu nếu cuộc họp chưa chốt")
    p.set_defaults(func=cmd_meeting_pack)


def _date(text: str):
    import datetime as dt

    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (viết dd/mm/yyyy)") from None


def _engine(data: Path):
    return store.connect(store.database_url(data))


def cmd_meetings(args: argparse.Namespace) -> int:
    import datetime as dt

    geography = Geography.from_reference()
    unknown = [u for u in args.scope if not geography.has(u)]
    if unknown:
        print(f"Lỗi: không có đơn vị mã {', '.join(unknown)}.", file=sys.stderr)
        return 1
    scope = FULL_ACCESS if COUNTRY_CODE in args.scope else Access(VIEWER, tuple(args.scope))
    engine = _engine(args.data)
    on = args.on or dt.date.today()
    for m in cl.list_meetings(engine, scope, geography):
        found = cl.list_conclusions(engine, scope, geography, meeting_id=m.id)
        if not found and not scope.allows(m.unit_code, geography):
            continue
        frozen_note = f", đã chốt {m.frozen_at:%d/%m/%Y %H:%M}" if m.frozen_at else ""
        print(f"[{m.id}] {m.title}; bộ số liệu {m.snapshot_id}{frozen_note}")
        for c in found:
            late = " (quá hạn)" if c.overdue(on) else ""
            due = f", hạn {fmt_date(c.deadline)}" if c.deadline else ""
            print(f"    {c.id}. {c.text} — {c.responsible}{due}: {c.status_vi}{late}")
    return 0


def cmd_meeting_pack(args: argparse.Namespace) -> int:
    from dashboard import export, meeting, reform, slides, structure
    from dashboard.snapshot import load_snapshot
    from dashboard.view import load_view, parse_view_id

    engine = _engine(args.data)
    reference = Geography.from_reference()
    found = cl.get_meeting(engine, FULL_ACCESS, reference, args.id)
    if found is None:
        print(f"Lỗi: không có cuộc họp số {args.id}.", file=sys.stderr)
        return 1
    snapshot_id, structure_id = parse_view_id(found.filters.get("view", found.snapshot_id))
    folder = args.data / "snapshots" / snapshot_id
    if not folder.is_dir():
        print(f"Lỗi: không còn bộ số liệu {snapshot_id} mà cuộc họp đã dùng ({folder}).", file=sys.stderr)
        return 1
    geography = reform.geography_2025() if structure_id == structure.NEW else reference
    seen = load_view(load_snapshot(folder, reference), structure_id, geography)
    sections = tuple(found.filters.get("sections") or meeting.SECTIONS)
    pack = meeting.build_pack(
        seen, found.unit_code, found.year, found.grain, sections,
        small_counts=found.filters.get("small_counts"), period=found.period,
    )  # fmt: skip
    images = None
    if not args.no_images:
        probe = export.probe_browser()
        if not probe.ok:
            print(f"Lỗi: {probe.message} (dùng --no-images để tạo không có ảnh).", file=sys.stderr)
            return 1
        images = slides.chart_images(pack)
    files = frozen.meeting_files(engine, FULL_ACCESS, found, pack, seen, images)
    for name, data in files.items():
        print(f"Đã ghi: {export.write_atomic(args.out / name, data)}  SHA-256 {frozen.sha256(data)}")
    if found.frozen_at is None:
        if args.freeze:
            digests = {name: frozen.sha256(data) for name, data in files.items()}
            cl.freeze(engine, found.id, digests, store.utcnow())
            print("Đã chốt bộ tài liệu của cuộc họp.")
        else:
            print("Cuộc họp chưa chốt bộ tài liệu (thêm --freeze để chốt).")
        return 0
    edition = frozen.Edition(files, found.digests)
    if edition.identical:
        print(f"Khớp từng byte với bản đã chốt lúc {found.frozen_at:%d/%m/%Y %H:%M:%S} (UTC).")
        return 0
    print(f"Không khớp bản đã chốt: {', '.join(edition.differing())}.", file=sys.stderr)
    return 1

"""The command line: demo data, validation, summaries, goals, the report template and imports."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from dashboard import access, demo, history, importing, query, reform, structure
from dashboard.catalog import CATALOG
from dashboard.formatting import MISSING, fmt_number
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.snapshot import SnapshotError, load_snapshot, validate_snapshot
from dashboard.view import View, load_view


def _geography(args: argparse.Namespace) -> Geography:
    return Geography.from_reference(args.units) if args.units else Geography.from_reference()


def _in_structure(args: argparse.Namespace, geography: Geography) -> View:
    """The view of ``--snapshot`` in the structure of ``--structure`` (default: the snapshot's own
    newest one: the 2025 units for contract version 2), read in that structure's unit tree."""
    snap = load_snapshot(Path(args.snapshot), geography)
    chosen = args.structure or structure.default_structure(snap)
    return load_view(snap, chosen, reform.geography_2025() if chosen == structure.NEW else geography)


def _add_structure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--structure",
        choices=structure.STRUCTURES,
        help="đơn vị hành chính: 2025 (mới, từ 01/7/2025) hoặc legacy (cũ); mặc định: 2025 cho bản chụp "
        "phiên bản 2, legacy cho phiên bản 1",
    )


def cmd_demo(args: argparse.Namespace) -> int:
    written = demo.write_demo(Path(args.out), _geography(args), seed=args.seed, reform=not args.no_reform)
    for path in written:
        print(f"Đã ghi bản chụp minh họa: {path}")
    if not written:
        print(f"Các bản chụp minh họa đã có trong {args.out}; không ghi lại.")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    snap, problems = validate_snapshot(Path(args.path), _geography(args))
    for problem in problems:
        print(problem)
    if snap is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"Bản chụp {Path(args.path).name} KHÔNG hợp lệ: {errors} lỗi.")
        return 1
    # From the validation's statistics: the facts file is not read again.
    spans = f", {fmt_number(snap.spans.height)} tổng theo kỳ nhiều tháng" if not snap.spans.is_empty() else ""
    print(f"Bản chụp {snap.snapshot_id} hợp lệ ({fmt_number(snap.stats.rows)} dòng số liệu{spans}).")
    made, as_of = history.manifest_dates(snap.manifest)
    base = snap.manifest.get("base_snapshot", MISSING) if "import_file" in snap.manifest else MISSING
    print(f"Tạo lúc {made}; số liệu tính đến ngày {as_of}; bản chụp nền: {base or 'không có'}.")
    return 0


def summary_rows(args: argparse.Namespace, geography: Geography) -> list[dict]:
    """The rows ``summary`` prints: the selected unit itself, plus its children when asked."""
    seen = _in_structure(args, geography)
    geography = seen.geography
    if args.district and "district" not in geography.levels:
        raise SystemExit(
            "Lỗi: đơn vị hành chính mới (từ 01/7/2025) không có cấp huyện; dùng --structure legacy."
        )
    if args.by and args.by not in geography.levels:
        raise SystemExit(f"Lỗi: đơn vị hành chính mới (từ 01/7/2025) không có cấp {args.by}.")
    unit = args.district or args.province or COUNTRY_CODE
    if not geography.has(unit):
        raise SystemExit(f"Lỗi: mã đơn vị '{unit}' không có trong danh mục hành chính.")
    if args.district and args.province and geography.parent(args.district) != args.province:
        raise SystemExit(f"Lỗi: quận/huyện {args.district} không thuộc tỉnh/thành phố {args.province}.")
    codes = [unit]
    if args.by:
        codes += [c for c in geography.descendants(unit, args.by)]
    years = (args.year, args.year) if args.year else None
    frame = seen.summarize(codes, grain=args.grain, years=years)
    return [
        {
            "unit_code": r["unit_code"],
            "indicator": r["indicator"],
            "period": r["period"].isoformat(),
            "grain": args.grain,
            "value": r["value"],
            "complete": r["complete"],
            # Version 3: a period a reported total over several months straddles has no value.
            **({"gap": r["gap"]} if "gap" in r else {}),
        }
        for r in frame.iter_rows(named=True)
    ]


def cmd_summary(args: argparse.Namespace) -> int:
    rows = summary_rows(args, _geography(args))
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=None)
        sys.stdout.write("\n")
    else:
        for r in rows:
            label = CATALOG[r["indicator"]].label_vi
            print(f"{r['unit_code']}\t{r['period']}\t{r['indicator']}\t{label}\t{r['value']:g}")
    return 0


def cmd_goals(args: argparse.Namespace) -> int:
    """Judge the targets of a snapshot and print them, one per target (``--json``: a JSON list).

    Each JSON object is :meth:`dashboard.goals.TargetResult.to_dict` (fields documented on
    :class:`dashboard.goals.TargetResult`): ``unit_code``, ``unit_name``, ``year``, ``metric``,
    ``metric_label``, ``rule``, ``rule_label``, ``target``, ``previous``, ``actual``,
    ``achievement_pct`` (quota targets, rounded half up to 2 places), ``change_pct``, ``met``
    (true/false, null when data are missing), ``status``, ``partial``, ``months_elapsed``,
    ``elapsed_share``, ``expected_so_far``, ``on_pace``, ``new_communes``, ``left_communes``,
    ``verdict``, ``note``, ``explanation``. With ``--projections`` it prints the multi-year goals
    instead (:class:`dashboard.goals.GoalProjection`). ``--as-of YYYY-MM`` judges on the months up
    to and including that month (default: the snapshot's last month). ``status`` and ``verdict``
    are printed as the Vietnamese words the README documents (``goals.worded``), not as ids.
    """
    from dashboard import goals

    geography = _geography(args)
    as_of = None
    if args.as_of:
        try:
            as_of = dt.datetime.strptime(args.as_of, "%Y-%m").date()
        except ValueError:
            raise SystemExit(
                f"Lỗi: tháng đánh giá không hợp lệ: {args.as_of!r} (cần dạng YYYY-MM)."
            ) from None
    seen = _in_structure(args, geography)
    geography = seen.geography
    if args.unit and not geography.has(args.unit):
        raise SystemExit(f"Lỗi: mã đơn vị '{args.unit}' không có trong danh mục hành chính.")
    if args.projections:
        found = goals.project_goals(seen, unit=args.unit, as_of=as_of, descendants=args.below)
    else:
        found = goals.evaluate(seen, unit=args.unit, year=args.year, as_of=as_of, descendants=args.below)
    rows = [goals.worded(item.to_dict(), "vi") for item in found]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=None)
        sys.stdout.write("\n")
    elif args.projections:
        for r in rows:
            verdict = r["verdict"] or MISSING
            print(f"{r['unit_code']}\t{r['metric']}\t{r['deadline']}\t{verdict}\t{r['verdict_text']}")
    else:
        for r in rows:
            print(
                f"{r['unit_code']}\t{r['year']}\t{r['metric']}\t{r['rule']}\t{r['status']}\t{r['explanation']}"
            )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.write_bytes(importing.template_bytes())
    print(f"Đã ghi mẫu báo cáo: {out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    geography = _geography(args)
    path = Path(args.file)
    if not path.is_file():
        print(f"Lỗi: không tìm thấy tệp {path}", file=sys.stderr)
        return 1
    # No --base: the newest valid snapshot, found under the write lock (importing.NEWEST), unless
    # it is the demo; "--base newest" takes it even then (chosen on purpose).
    base = args.base if args.base and args.base != importing.NEWEST else importing.NEWEST
    report = importing.import_file(
        path.read_bytes(),
        path.name,
        Path(args.data_dir),
        args.as_of,
        base,
        geography,
        max_bytes=args.max_bytes,
        demo_ok=args.base == importing.NEWEST,
    )
    for line in report.lines():
        print(f"{path.name}: {line}")  # the file, then the sheet, column, row and value
    print(report.message)
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    """The meeting slides (and optionally the Word report and the ZIP of chart images) of one unit."""
    import time

    import plotly.graph_objects as go

    from dashboard import export, meeting, report, slides

    seen = _in_structure(args, _geography(args))
    geography = seen.geography
    if not geography.has(args.unit):
        print(f"Lỗi: mã đơn vị '{args.unit}' không có trong danh mục hành chính.", file=sys.stderr)
        return 1
    probe = export.probe_browser()
    if not probe.ok:
        print(f"Lỗi: {probe.message}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        # Small commune counts of people are hidden in exports unless asked otherwise (issue 9).
        threshold = None if args.show_small_counts else args.small_count_threshold
        pack = meeting.build_pack(seen, args.unit, args.year, args.grain, small_counts=threshold)
    except ValueError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    built = time.perf_counter()
    try:
        export.render_many([go.Figure()], width=64, height=64, scale=1)  # starts the browser
        ready = time.perf_counter()
        images = slides.chart_images(pack)
    except (export.BrowserUnavailable, export.ExportError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    rendered = time.perf_counter()
    written = [slides.write_slides(pack, args.out, images)]
    if args.report:
        written.append(report.write_report(pack, args.report, images))
    if args.images:
        written.append(export.write_atomic(args.images, slides.images_zip(pack, images)))
    done = time.perf_counter()
    for path in written:
        print(f"Đã ghi: {path}")
    n = len(images)

    def sec(value: float) -> str:
        return fmt_number(value, decimals=2)

    print(
        f"{pack.unit_name}, {pack.period_label}: số liệu {sec(built - started)} giây; khởi động trình duyệt"
        f" {sec(ready - built)} giây; {n} ảnh {sec(rendered - ready)} giây"
        f" ({sec((rendered - ready) / max(n, 1))} giây/ảnh); tổng cộng {sec(done - started)} giây."
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from dashboard import bench

    results = bench.run(args.scale, _geography(args), repeat=args.repeat, pages=not args.no_pages)
    print(bench.table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        print(f"Đã ghi kết quả: {args.json}")
    return 0


def _change(text: str) -> tuple[str, str]:
    param, sep, label = text.partition("=")
    if not sep or not param or not label:
        raise argparse.ArgumentTypeError(
            f"cần dạng THAM_SỐ=NHÃN (province=Tỉnh Điện Biên), không phải {text!r}"
        )
    return param, label


def cmd_loadtest(args: argparse.Namespace) -> int:
    from dashboard import loadtest

    scenario = loadtest.Scenario(page=args.page, query=args.query, change=args.change, switch=args.switch)
    results = loadtest.run(
        args.sessions,
        scenario,
        url=args.url,
        replicas=args.replicas,
        pids=args.pid,
        data_dir=args.data_dir,
        reference=not args.no_reference,
        settle=args.settle,
        warmup=not args.no_warmup,
    )
    print(loadtest.table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"Đã ghi kết quả: {args.json}")
    failed = any(
        s["errors"]
        for entry in results
        for key in ("app", "reference")
        if key in entry
        for s in entry[key]["steps"]
    )
    return 1 if failed else 0


def cmd_browsertime(args: argparse.Namespace) -> int:
    from dashboard import browsertime

    results = browsertime.run(
        args.pages,
        args.query,
        args.repeat,
        url=args.url,
        data_dir=args.data_dir,
        returning=args.returning,
        reference=args.reference,
    )
    print(browsertime.table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"Đã ghi kết quả: {args.json}")
    return 0


def cmd_replicas(args: argparse.Namespace) -> int:
    from dashboard import replicas

    if args.print_config:
        # For a permanent installation: replicas on the ports after --port, started by systemd.
        print(replicas.haproxy_config(args.port, [args.port + i for i in range(1, args.count + 1)]), end="")
        return 0
    return replicas.serve(args.count, args.port, args.data_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Bảng điều khiển Ban chỉ đạo phòng, chống tội phạm, tệ nạn ma túy, mại dâm và HIV/AIDS",
    )
    parser.add_argument(
        "--units",
        type=Path,
        default=None,
        help="tệp danh mục đơn vị hành chính (mặc định: data/reference/units.parquet)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="sinh các bản chụp dữ liệu minh họa")
    p.add_argument("--out", type=Path, default=Path("data/snapshots"))
    p.add_argument("--seed", type=int, default=demo.DEMO_SEED)
    p.add_argument(
        "--no-reform",
        action="store_true",
        help=f"chỉ sinh các bản chụp phiên bản 1, không sinh bản chụp {demo.REFORM_SNAPSHOT[0]} "
        "theo đơn vị hành chính sau ngày 01/7/2025",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("validate", help="kiểm tra một bản chụp theo hợp đồng dữ liệu")
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("summary", help="tổng hợp số liệu của một địa bàn")
    p.add_argument("--snapshot", required=True, type=Path)
    p.add_argument("--province")
    p.add_argument("--district")
    p.add_argument("--year", type=_year)
    p.add_argument("--grain", choices=query.GRAINS, default="year")
    p.add_argument("--by", choices=("district", "commune"))
    p.add_argument("--json", action="store_true", help="in danh sách JSON")
    _add_structure(p)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("goals", help="đánh giá kết quả thực hiện các chỉ tiêu")
    p.add_argument("--snapshot", required=True, type=Path)
    p.add_argument("--unit", help="mã đơn vị (tỉnh, huyện hoặc xã); mặc định: mọi đơn vị")
    p.add_argument("--below", action="store_true", help="gồm cả chỉ tiêu của các đơn vị cấp dưới")
    p.add_argument("--year", type=_year)
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM", help="đánh giá theo số liệu đến hết tháng này")
    p.add_argument("--projections", action="store_true", help="in dự báo các mục tiêu nhiều năm")
    p.add_argument("--json", action="store_true", help="in danh sách JSON")
    _add_structure(p)
    p.set_defaults(func=cmd_goals)

    p = sub.add_parser("template", help="ghi tệp mẫu báo cáo Excel để điền số liệu")
    p.add_argument("--out", type=Path, default=Path("mau-bao-cao.xlsx"))
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="nhập tệp báo cáo (Excel/CSV) thành một bản chụp mới")
    p.add_argument("file", type=Path)
    p.add_argument("--data-dir", type=Path, default=Path("data"))
    p.add_argument(
        "--as-of",
        help="số liệu của tệp tính đến ngày YYYY-MM-DD (mặc định: ngày cuối tháng mới nhất trong tệp); "
        "mã bản chụp mới là ngày tạo",
    )
    p.add_argument(
        "--base",
        help="mã bản chụp nền; none: không dùng nền (dữ liệu thật bắt đầu từ đầu); newest: bản chụp hợp lệ "
        "mới nhất, kể cả dữ liệu minh họa; mặc định: bản chụp hợp lệ mới nhất, trừ dữ liệu minh họa",
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=importing.DEFAULT_MAX_BYTES,
        help="dung lượng tệp tối đa, byte (mặc định 20 MB)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="xuất bản trình chiếu giao ban (và báo cáo Word, ảnh biểu đồ)")
    p.add_argument("--snapshot", required=True, type=Path)
    p.add_argument("--unit", required=True, help="mã đơn vị (tỉnh, huyện hoặc xã; VN: toàn quốc)")
    p.add_argument("--year", required=True, type=_year)
    p.add_argument("--grain", choices=query.GRAINS, default="year")
    p.add_argument("--out", required=True, type=Path, help="tệp .pptx")
    p.add_argument("--report", type=Path, help="ghi thêm báo cáo Word (.docx)")
    p.add_argument("--images", type=Path, help="ghi thêm tệp ZIP các ảnh PNG")
    p.add_argument(
        "--small-count-threshold",
        type=int,
        default=access.DEFAULT_THRESHOLD,
        help='ẩn số đếm người cấp xã nhỏ hơn ngưỡng này, ghi "<5" (mặc định 5)',
    )
    p.add_argument("--show-small-counts", action="store_true", help="không ẩn số đếm nhỏ")
    _add_structure(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("bench", help="đo hiệu năng trên số liệu giả lập quy mô toàn quốc hoặc một tỉnh")
    p.add_argument("--scale", choices=("national", "province", "small"), default="national")
    p.add_argument("--json", type=Path, help="ghi kết quả ra tệp JSON")
    p.add_argument("--repeat", type=int, default=3, help="số lần lặp mỗi phép đo (lấy trung vị)")
    p.add_argument("--no-pages", action="store_true", help="bỏ qua đo thời gian chạy các trang")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser(
        "loadtest",
        help="mở N phiên đồng thời qua websocket như trình duyệt, đo từng bước, so với trang tham chiếu",
    )
    p.add_argument(
        "--sessions",
        "-n",
        type=int,
        nargs="+",
        default=[8],
        help="số phiên đồng thời (nhiều giá trị: chạy lần lượt)",
    )
    p.add_argument("--page", default="", help="đường dẫn trang mở đầu (mặc định: Tổng quan), ví dụ xu-huong")
    p.add_argument("--query", default="", help="tham số URL của bộ lọc, ví dụ 'province=Tỉnh Điện Biên'")
    p.add_argument(
        "--change", type=_change, help="đổi bộ lọc sau khi mở: THAM_SỐ=NHÃN, ví dụ province=Tỉnh Điện Biên"
    )
    p.add_argument("--switch", help="sau đó chuyển sang trang này, ví dụ xu-huong")
    p.add_argument(
        "--url", help="máy chủ đang chạy (ví dụ cổng của bộ cân bằng tải); mặc định: tự khởi động ứng dụng"
    )
    p.add_argument(
        "--pid", type=int, nargs="*", default=[], help="mã tiến trình máy chủ (với --url) để đo RSS"
    )
    p.add_argument(
        "--replicas", type=int, help="tự khởi động K bản sao sau HAProxy (như lệnh replicas) và đo qua đó"
    )
    p.add_argument(
        "--data-dir", type=Path, help="thư mục dữ liệu khi tự khởi động ứng dụng (mặc định như serve)"
    )
    p.add_argument("--no-reference", action="store_true", help="không chạy trang tham chiếu")
    p.add_argument("--no-warmup", action="store_true", help="không chạy một phiên khởi động trước khi đo")
    p.add_argument(
        "--settle", type=float, default=2.0, help="số giây chờ sau khi đóng phiên rồi mới đo RSS 'sau'"
    )
    p.add_argument("--json", type=Path, help="ghi kết quả ra tệp JSON")
    p.set_defaults(func=cmd_loadtest)

    p = sub.add_parser(
        "browsertime",
        help="đo trong Chromium không giao diện: từ lúc mở trang đến khi mọi biểu đồ đã vẽ (một người dùng)",
    )
    p.add_argument(
        "--pages", nargs="+", default=["", "xu-huong", "ban-do"], help="đường dẫn trang ('' là Tổng quan)"
    )
    p.add_argument("--query", default="", help="tham số URL của bộ lọc, ví dụ 'province=Tỉnh Điện Biên'")
    p.add_argument("--repeat", type=int, default=3, help="số lần đo mỗi trang (sau một lần khởi động)")
    p.add_argument("--url", help="máy chủ đang chạy; mặc định: tự khởi động ứng dụng")
    p.add_argument(
        "--data-dir", type=Path, help="thư mục dữ liệu khi tự khởi động ứng dụng (mặc định như serve)"
    )
    p.add_argument(
        "--returning",
        action="store_true",
        help="người dùng quay lại: một hồ sơ trình duyệt (giữ bộ nhớ đệm), mỗi lần một thẻ mới",
    )
    p.add_argument(
        "--reference", action="store_true", help="đo thêm trang tham chiếu của Streamlit trong cùng lần chạy"
    )
    p.add_argument("--json", type=Path, help="ghi kết quả ra tệp JSON")
    p.set_defaults(func=cmd_browsertime)

    p = sub.add_parser(
        "replicas",
        help="chạy nhiều bản sao bảng điều khiển sau HAProxy (phiên gắn theo cookie, cùng thư mục dữ liệu)",
    )
    p.add_argument("--count", "-k", type=int, default=2, help="số bản sao (mặc định 2; nên bằng số lõi CPU)")
    p.add_argument("--port", type=int, default=8501, help="cổng của HAProxy trên 127.0.0.1 (mặc định 8501)")
    p.add_argument(
        "--data-dir", type=Path, help="thư mục dữ liệu (mặc định như serve: DASHBOARD_DATA_DIR hoặc data/)"
    )
    p.add_argument(
        "--print-config",
        action="store_true",
        help="chỉ in cấu hình HAProxy cho các bản sao ở cổng --port+1 … --port+K (để cài cố định) rồi thoát",
    )
    p.set_defaults(func=cmd_replicas)
    from dashboard import cli_meetings

    cli_meetings.add_parsers(sub)

    # Handled in main() before parsing: its options are Streamlit's.
    sub.add_parser(
        "serve", help="chạy bảng điều khiển (Streamlit) trên dashboard/ui/app.py; tùy chọn như streamlit run"
    )
    return parser


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"năm không hợp lệ: {text!r}") from None
    if not 1900 <= year <= dt.date.today().year + 10:
        raise argparse.ArgumentTypeError(f"năm ngoài khoảng cho phép: {year}")
    return year


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        # Everything after "serve" belongs to Streamlit (--server.port …), not to this parser.
        from dashboard.ui import serve

        return serve.main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SnapshotError as exc:
        print(exc, file=sys.stderr)
        return 1

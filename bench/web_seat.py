"""The web seat's weight and speed: what a cheap tablet downloads and how fast a document page
appears, server-rendered images against PDF.js.

Starts the real host, sets up a session with the demo's agenda documents (LibreOffice renders
them; blank pages without it), then measures

* the page's files: bytes as served (gzip) and raw, HTML + JS + CSS + the texts;
* page images on the host: milliseconds to render one page (pdfium + WebP) per width, and the
  bytes of WebP, PNG and JPEG at 1280 px;
* in Debian's Chromium (Playwright) with the CPU slowed ``--cpu-slowdown`` times (Chrome's own
  throttling; 4× is about a 2 GB Android tablet against this machine's core):
  the seat's load to a shown page, and the time from the presenter turning a page on the
  console to the new page image shown on the seat (median of ``--turns``), the page's JS heap;
* with ``--pdfjs DIR`` (an unpacked ``pdfjs-dist`` package, e.g. ``npm pack pdfjs-dist``; not
  part of the project): the same document page drawn by PDF.js into a canvas of the same width,
  from a cold start (script, worker, the PDF), and one page turn, with the JS heap.

Prints JSON.  ``python bench/web_seat.py [--pdfjs /tmp/pdfjs/package]``
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from meetingapp.domain import AttendanceMethod, BodyKind  # noqa: E402
from meetingapp.localhost import LocalHost  # noqa: E402
from meetingapp.server.documents import PAGE_WIDTHS  # noqa: E402
from meetingapp.server.web import WEB_DIR, page_texts  # noqa: E402
from tests.meeting_api import make_pdf  # noqa: E402
from tests.web.browser import launch, missing_tools, trusting_home  # noqa: E402
from tests.web.conftest import run_async  # noqa: E402

SEAT_FILES = ("seat/index.html", "seat/seat.js", "seat/seat.css", "common/web.js", "common/web.css")


def asset_sizes() -> dict[str, Any]:
    out: dict[str, Any] = {}
    raw = packed = 0
    for name in SEAT_FILES:
        data = (WEB_DIR / name).read_bytes()
        gz = len(gzip.compress(data, 9, mtime=0))
        out[name] = {"bytes": len(data), "gzip": gz}
        raw, packed = raw + len(data), packed + gz
    texts = json.dumps(page_texts("vi"), ensure_ascii=False).encode()
    out["texts_vi"] = {"bytes": len(texts), "gzip": len(gzip.compress(texts, 9, mtime=0))}
    out["total_html_js_css"] = {"bytes": raw, "gzip": packed}
    out["total_with_texts"] = {
        "bytes": raw + out["texts_vi"]["bytes"],
        "gzip": packed + out["texts_vi"]["gzip"],
    }
    return out


def documents(folder: Path) -> tuple[list[bytes], str]:
    try:
        from meetingapp.demo import make_documents

        return [p.read_bytes() for p in make_documents(folder)], "demo documents (LibreOffice)"
    except Exception as exc:  # noqa: BLE001 - without LibreOffice, blank pages
        return [make_pdf(4)], f"blank pages ({exc.__class__.__name__})"


def render_costs(pdf: bytes) -> dict[str, Any]:
    from meetingapp.pdfpages import render_page

    out: dict[str, Any] = {}
    for width in PAGE_WIDTHS:
        times, size = [], 0
        for _ in range(3):
            start = time.perf_counter()
            image = render_page(pdf, 0, width)
            buf = io.BytesIO()
            image.save(buf, "WEBP", quality=82, method=4)
            times.append((time.perf_counter() - start) * 1000)
            size = len(buf.getvalue())
        out[f"w{width}"] = {"ms_median": round(statistics.median(times), 1), "webp_bytes": size}
    image = render_page(pdf, 0, 1280)
    for fmt, kw in (("PNG", {"optimize": True}), ("JPEG", {"quality": 85})):
        buf = io.BytesIO()
        image.save(buf, fmt, **kw)
        out[f"w1280_{fmt.lower()}_bytes"] = len(buf.getvalue())
    out["pdf_bytes"] = len(pdf)
    return out


async def prepare(host: LocalHost, pdfs: list[bytes]) -> dict[str, Any]:
    console = host.client(console=True)
    try:
        body = await console.create_body(BodyKind.HDND, "Hội đồng nhân dân xã Đo Đạc", 6)
        ids = await console.add_delegates(
            body,
            [{"id": f"d{i}", "full_name": f"Đại biểu {i}", "pin": f"{3000 + i}"} for i in range(6)],
        )
        sid = await console.create_session(body_id=body, number=1, title="Kỳ họp đo đạc")
        item = await console.add_item(sid, "Tờ trình")
        doc = await console.upload_document(sid, item, "Tờ trình", pdfs[0], "Tờ trình", "1/TTr")
        await console.open_session(sid)
        await console.check_in(sid, ids[0], method=AttendanceMethod.MANUAL, reason="Có mặt")
        await console.start_item(sid, item)
        await console.move_presenter(sid, doc["id"], 1)
        code = (await console.pairing_code("delegate", ids[0]))["code"]
        return {"sid": sid, "doc": doc, "code": code}
    finally:
        await console.close()


async def move(host: LocalHost, sid: str, doc: str, page: int) -> None:
    console = host.client(console=True)
    try:
        await console.move_presenter(sid, doc, page)
    finally:
        await console.close()


def heap_mb(cdp: Any) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return round(metrics.get("JSHeapUsedSize", 0) / 2**20, 1)


def seat_in_browser(
    browser: Any, host: LocalHost, origin: str, m: dict[str, Any], slowdown: float, turns: int
) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(origin + "/seat/")
    page.fill("#pair-code", m["code"])
    page.click("#pair-button")
    page.wait_for_selector("#page[data-page='1']")
    # now as a cheap tablet: slowed CPU, nothing cached
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    start = time.perf_counter()
    page.reload()
    page.wait_for_function(
        "() => { const i = document.getElementById('page');"
        " return i && !i.hidden && i.complete && i.naturalWidth > 0; }",
        timeout=60_000,
    )
    load_ms = (time.perf_counter() - start) * 1000
    transferred = page.evaluate(
        "() => performance.getEntriesByType('navigation').concat("
        "performance.getEntriesByType('resource'))"
        ".reduce((n, e) => n + (e.transferSize || 0), 0)"
    )
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    pages = m["doc"]["pages"]
    times = []
    for target in range(2, min(pages, turns + 1) + 1):  # pages never shown yet: cold
        start = time.perf_counter()
        run_async(lambda n=target: move(host, m["sid"], m["doc"]["id"], n))
        page.wait_for_function(
            f"() => {{ const i = document.getElementById('page');"
            f" return i.dataset.page === '{target}' && i.complete && i.naturalWidth > 0; }}",
            timeout=60_000,
        )
        times.append((time.perf_counter() - start) * 1000)
    out = {
        "cold_load_to_page_shown_ms": round(load_ms),
        "cold_load_transferred_bytes": transferred,
        "presenter_turn_to_page_shown_ms_median": round(statistics.median(times))
        if times
        else None,
        "turns": len(times),
        "js_heap_mb": heap_mb(cdp),
    }
    context.close()
    return out


PDFJS_PAGE = """<!doctype html><html><body style="margin:0">
<canvas id="c"></canvas>
<script type="module">
import * as pdfjs from "/bench-pdfjs/pdf.min.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "/bench-pdfjs/pdf.worker.min.mjs";
window.drawPage = async (doc, n, width) => {
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / base.width });
  const canvas = document.getElementById("c");
  canvas.width = viewport.width; canvas.height = viewport.height;
  await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
};
window.start = async (hash) => {
  const t0 = performance.now();
  window.doc = await pdfjs.getDocument({ url: "/api/documents/" + hash }).promise;
  await window.drawPage(window.doc, 1, 1280);
  return performance.now() - t0;
};
window.turn = async (n) => {
  const t0 = performance.now();
  await window.drawPage(window.doc, n, 1280);
  return performance.now() - t0;
};
window.ready = true;
</script></body></html>"""


def pdfjs_in_browser(
    browser: Any, origin: str, m: dict[str, Any], folder: Path, slowdown: float
) -> dict[str, Any]:
    build = folder / "build"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # the same device's cookie: pair it through the seat first
    page = context.new_page()
    page.goto(origin + "/seat/")

    def serve(route: Any) -> None:
        name = route.request.url.rsplit("/", 1)[-1]
        if name == "index.html":
            route.fulfill(body=PDFJS_PAGE, content_type="text/html")
        else:
            route.fulfill(body=(build / name).read_bytes(), content_type="text/javascript")

    context.route(origin + "/bench-pdfjs/*", serve)
    page.fill("#pair-code", m["code2"])
    page.click("#pair-button")
    page.wait_for_selector("#seat-view:not([hidden])")
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    start = time.perf_counter()
    page.goto(origin + "/bench-pdfjs/index.html")
    page.wait_for_function("() => window.ready === true", timeout=60_000)
    draw_ms = page.evaluate(f"() => window.start('{m['doc']['file_hash']}')")
    cold_ms = (time.perf_counter() - start) * 1000
    turn_ms = page.evaluate("() => window.turn(2)") if m["doc"]["pages"] > 1 else None
    js = sum(
        len(gzip.compress((build / n).read_bytes(), 9))
        for n in ("pdf.min.mjs", "pdf.worker.min.mjs")
    )
    out = {
        "cold_start_to_page_drawn_ms": round(cold_ms),
        "of_which_pdf_fetch_and_draw_ms": round(draw_ms),
        "page_turn_draw_ms": round(turn_ms) if turn_ms is not None else None,
        "script_bytes": sum(
            (build / n).stat().st_size for n in ("pdf.min.mjs", "pdf.worker.min.mjs")
        ),
        "script_gzip_bytes": js,
        "pdf_bytes": m["pdf_bytes"],
        "js_heap_mb": heap_mb(cdp),
    }
    context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpu-slowdown", type=float, default=4.0)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--pdfjs", type=Path, help="an unpacked pdfjs-dist package, to compare")
    args = parser.parse_args()
    report: dict[str, Any] = {"assets": asset_sizes()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pdfs, kind = documents(root / "docs")
        report["document"] = kind
        report["server_render_page_1"] = render_costs(pdfs[0])
        why = missing_tools()
        if why:
            report["browser"] = f"skipped: {why}"
            sys.stdout.write(json.dumps(report, indent=2) + "\n")
            return
        from playwright.sync_api import sync_playwright

        host = LocalHost(root / "host", advertise=False).start()
        try:
            m = asyncio.run(prepare(host, pdfs))
            m["pdf_bytes"] = len(pdfs[0])
            home = trusting_home(Path(host.info["ca_cert"]), root / "browser")
            origin = f"https://127.0.0.1:{host.port}"
            with sync_playwright() as p:
                browser = launch(p, home)
                report["cpu_slowdown"] = args.cpu_slowdown
                report["seat_images"] = seat_in_browser(
                    browser, host, origin, m, args.cpu_slowdown, args.turns
                )
                if args.pdfjs:

                    async def code() -> str:
                        console = host.client(console=True)
                        try:
                            return str((await console.pairing_code("delegate", "d1"))["code"])
                        finally:
                            await console.close()

                    m["code2"] = run_async(code)
                    report["pdfjs"] = pdfjs_in_browser(
                        browser, origin, m, args.pdfjs, args.cpu_slowdown
                    )
                browser.close()
        finally:
            host.stop()
    sys.stdout.write(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()

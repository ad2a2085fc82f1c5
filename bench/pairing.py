"""Pairing 60 tablets from the printed sheet, measured with the client library, as JSON.

The real host process on 127.0.0.1; a body of N delegates and a session. The sheet is asked for
and printed (``meetingapp.pairing_sheet``: host API + PDF); each card is then read the way a
tablet's camera reads it — the page rendered at 150 dpi, the card cut out, OpenCV's QR
detector — and paired with ``meetingapp.device_store.pair`` (fetch the CA, check the pinned
fingerprint, present the code, ask the host which session to follow). Pairing is timed one
tablet after another (one technician going round the hall) and all at once (every delegate
scanning at the same moment).

    python bench/pairing.py [--tablets 60]

The machine-side time is small next to the human one (picking up a tablet, opening the app,
holding the card to the camera); the closing note of issue 15 puts the two together.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from meetingapp import device_store, lan, qr  # noqa: E402
from meetingapp.domain import BodyKind  # noqa: E402
from meetingapp.localhost import LocalHost  # noqa: E402
from meetingapp.pairing_sheet import COLS, MARGIN, PAGE, ROWS, make_sheet  # noqa: E402


def cards_of(pdf: Path) -> list[bytes]:
    """Every card of the sheet as a PNG, cut from pages rendered at 150 dpi."""
    import io

    import pypdfium2 as pdfium

    cell_w = (PAGE[0] - 2 * MARGIN) // COLS
    cell_h = (PAGE[1] - 2 * MARGIN - 60) // ROWS
    out = []
    for page in pdfium.PdfDocument(str(pdf)):
        image = page.render(scale=150 / 72).to_pil()
        for i in range(COLS * ROWS):
            x = MARGIN + (i % COLS) * cell_w
            y = MARGIN + 40 + (i // COLS) * cell_h
            buf = io.BytesIO()
            image.crop((x - 20, y - 20, x + cell_w + 20, y + cell_h + 20)).save(buf, "PNG")
            out.append(buf.getvalue())
    return out


def stats(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "median_ms": round(1000 * statistics.median(values), 1),
        "p95_ms": round(1000 * values[int(0.95 * (len(values) - 1))], 1),
        "max_ms": round(1000 * values[-1], 1),
    }


async def run(n: int, folder: Path) -> dict[str, object]:
    host = LocalHost(folder / "host").start()
    try:
        console = host.client(console=True)
        body = await console.create_body(BodyKind.HDND, "Hội đồng nhân dân huyện Đo Thử", n)
        await console.add_delegates(
            body,
            [{"full_name": f"Đại biểu Số {i + 1}", "seat": str(i + 1)} for i in range(n)],
        )
        await console.create_session(body_id=body, number=1, title="Kỳ họp thứ Nhất")
        result: dict[str, object] = {"tablets": n}
        for mode in ("one_after_another", "all_at_once"):
            started = time.perf_counter()
            sheet = await make_sheet(console, folder / f"sheet-{mode}.pdf", ttl_min=60)
            made = time.perf_counter() - started
            started = time.perf_counter()
            pngs = await asyncio.to_thread(cards_of, folder / f"sheet-{mode}.pdf")
            reads, texts = [], []
            for png in pngs:
                t = time.perf_counter()
                text = await asyncio.to_thread(qr.decode, png)
                reads.append(time.perf_counter() - t)
                if text:
                    texts.append(text)
            read_total = time.perf_counter() - started
            infos = [lan.parse_pairing_uri(t) for t in texts]

            async def pair(info: lan.PairingInfo, i: int, mode: str = mode) -> float:
                t = time.perf_counter()
                pairing, client = await device_store.pair(
                    list(info.urls), info.fingerprint, info.code, f"{mode}-{i}"
                )
                await client.get("/api/current-session")
                await client.close()
                assert pairing.role == "delegate" and pairing.delegate_id
                return time.perf_counter() - t

            started = time.perf_counter()
            if mode == "one_after_another":
                times = [await pair(info, i) for i, info in enumerate(infos)]
            else:
                times = list(await asyncio.gather(*(pair(x, i) for i, x in enumerate(infos))))
            paired_total = time.perf_counter() - started
            result[mode] = {
                "sheet_cards": len(sheet["cards"]),
                "sheet_pages": len(pngs) // (COLS * ROWS),
                "sheet_s": round(made, 2),
                "cards_read": len(texts),
                "read_all_s": round(read_total, 2),
                "read_per_card": stats(reads),
                "paired": len(times),
                "pair_all_s": round(paired_total, 2),
                "pair_per_tablet": stats(times),
            }
        await console.close()
        result["host_rss_mb"] = round(host.rss_mb(), 1)
        return result
    finally:
        host.stop()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tablets", type=int, default=60)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pairing-") as tmp:
        print(json.dumps(asyncio.run(run(args.tablets, Path(tmp))), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

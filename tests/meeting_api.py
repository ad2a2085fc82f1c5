"""Set up a meeting through the real host's API, as a secretary's console does."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from meetingapp.client import HostClient
from meetingapp.domain import AttendanceMethod, BodyKind
from tests.hostproc import HostProcess


def make_pdf(pages: int = 3) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


@dataclass
class ApiMeeting:
    console: HostClient
    body: str
    session: str
    item: str
    delegates: list[str]
    pins: dict[str, str]
    tablets: dict[str, HostClient] = field(default_factory=dict)

    async def close(self) -> None:
        for t in self.tablets.values():
            await t.close()
        await self.console.close()


async def pair_tablet(
    host: HostProcess,
    console: HostClient,
    delegate_id: str | None,
    role: str = "delegate",
    name: str = "tablet",
) -> HostClient:
    code = (await console.pairing_code(role, delegate_id))["code"]
    tablet = HostClient(console.url, host.ssl(), lang=console.lang)
    await tablet.pair(code, name)
    return tablet


async def api_meeting(
    host: HostProcess, *, seats: int = 12, present: int = 10, tablets: int = 3
) -> ApiMeeting:
    console = host.client(console=True)
    body = await console.create_body(BodyKind.HDND, "Hội đồng nhân dân xã Kiểm Thử", seats)
    pins = {f"d{i:03d}": f"{1000 + i}" for i in range(seats)}
    ids = await console.add_delegates(
        body,
        [
            {"id": did, "full_name": f"Đại biểu Thứ {i}", "unit": f"Tổ {i % 4}", "pin": pin}
            for i, (did, pin) in enumerate(pins.items())
        ],
    )
    sid = await console.create_session(
        body_id=body,
        number=1,
        title="Kỳ họp thứ Nhất",
        chair_panel=[ids[0]],
        secretaries=[ids[1]],
    )
    item = await console.add_item(sid, "Nghị quyết về kế hoạch năm")
    await console.open_session(sid)
    await console.start_roll_call(sid)
    for did in ids[:present]:
        await console.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="Có mặt")
    await console.close_roll_call(sid)
    await console.start_item(sid, item)
    meeting = ApiMeeting(console, body, sid, item, ids, pins)
    for did in ids[:tablets]:
        meeting.tablets[did] = await pair_tablet(host, console, did, name=f"ghế {did}")
    return meeting


async def demo_session(console: HostClient) -> tuple[list[str], str, list[str]]:
    """The demo's body, its twelve delegates (ids d00…d11, the demo's PINs) and its session
    with the demo's agenda, not yet opened: (delegate ids, session id, item ids). For the web
    screenshots, which show the demo's people and titles."""
    from meetingapp import demo_script as script

    body = await console.create_body(BodyKind.HDND, script.BODY_NAME, len(script.NAMES))
    people = [
        {"id": f"d{i:02d}", "full_name": n, "title": t, "unit": u, "pin": script.pin_of(i)}
        for i, (n, t, u) in enumerate(script.NAMES)
    ]
    ids = await console.add_delegates(body, people)
    sid = await console.create_session(
        body_id=body,
        number=script.SESSION_NUMBER,
        title=script.SESSION_TITLE,
        chair_panel=[ids[0]],
        secretaries=[ids[1]],
    )
    items = [await console.add_item(sid, a[0]) for a in script.AGENDA]
    return ids, sid, items

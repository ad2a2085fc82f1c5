"""Every label of the minutes in one place. The body of the minutes is Vietnamese by law; the
annexes' headings are also available in English."""

from __future__ import annotations

from meetingapp.domain import BallotForm, BodyKind, Choice
from meetingapp.i18n import tr

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
TITLE = "BIÊN BẢN"
SYMBOL = {BodyKind.HDND: "BB-HĐND", BodyKind.UBND: "BB-UBND"}
RESOLUTION_SYMBOL = {BodyKind.HDND: "NQ-HĐND", BodyKind.UBND: "NQ-UBND"}
RESOLUTION = "Nghị quyết số {number}"  # "Nghị quyết số 01/NQ-HĐND"
ISSUER = {BodyKind.HDND: "HỘI ĐỒNG NHÂN DÂN", BodyKind.UBND: "ỦY BAN NHÂN DÂN"}
MEMBERS = {BodyKind.HDND: "Đại biểu Hội đồng nhân dân", BodyKind.UBND: "Thành viên Ủy ban nhân dân"}
SECTIONS = {
    BodyKind.HDND: (
        "I. KHAI MẠC KỲ HỌP",
        "II. THÔNG QUA CHƯƠNG TRÌNH KỲ HỌP",
        "III. CÁC BÁO CÁO, TỜ TRÌNH, BÁO CÁO THẨM TRA",
        "IV. THẢO LUẬN, CHẤT VẤN VÀ TRẢ LỜI CHẤT VẤN",
        "V. BIỂU QUYẾT THÔNG QUA NGHỊ QUYẾT",
        "VI. BẾ MẠC",
    ),
    BodyKind.UBND: (
        "I. KHAI MẠC PHIÊN HỌP",
        "II. THÔNG QUA CHƯƠNG TRÌNH PHIÊN HỌP",
        "III. CÁC BÁO CÁO, TỜ TRÌNH",
        "IV. THẢO LUẬN",
        "V. BIỂU QUYẾT",
        "VI. BẾ MẠC",
    ),
}
# A person's honorific in the minutes when the roster gives none (never the literal "Ông/Bà")
HONORIFIC_NEUTRAL = "Đồng chí"
SECRETARY = "THƯ KÝ"
CHAIR = "CHỦ TỌA"
# who speaks, in section IV and the transcripts: a delegate, or the chair interjecting
AS_DELEGATE = "Đại biểu"
AS_CHAIR = "Chủ tọa"
RECIPIENTS = "Nơi nhận:"
FORMS = {
    BallotForm.SHOW_OF_HANDS: "giơ tay",
    BallotForm.ELECTRONIC: "biểu quyết điện tử",
    BallotForm.SECRET: "bỏ phiếu kín",
}
# the options' wording is the app's (meetingapp/i18n.py): one source for screens and minutes
CHOICES = {c: tr(f"choice.{c.value}", "vi") for c in Choice}
TOOK_PART = "Số đại biểu tham gia biểu quyết"
NOT_TAKING_PART = tr("result.did_not_take_part", "vi")
PASSED, FAILED = "Thông qua", "Không thông qua"
ENDED = {BodyKind.HDND: "Kỳ họp kết thúc", BodyKind.UBND: "Phiên họp kết thúc"}
STILL_OPEN = {  # a draft compiled before the closing: the time is not invented
    BodyKind.HDND: "(Dự thảo lập khi kỳ họp đang diễn ra: thời gian kết thúc chưa có.)",
    BodyKind.UBND: "(Dự thảo lập khi phiên họp đang diễn ra: thời gian kết thúc chưa có.)",
}
NO_TRANSCRIPT = "(chưa có bản ghi lời phát biểu)"
EDITED_MARK = "[đã hiệu đính]"

ANNEX = {
    "vi": {
        "transcripts": "PHỤ LỤC I. NGUYÊN VĂN CÁC Ý KIẾN PHÁT BIỂU",
        "attendance": "PHỤ LỤC II. DANH SÁCH ĐIỂM DANH",
        "tallies": "PHỤ LỤC III. KẾT QUẢ BIỂU QUYẾT CHI TIẾT",
        "log": "PHỤ LỤC IV. MÃ BĂM NHẬT KÝ SỰ KIỆN",
        "edited_note": "Đoạn có dấu [đã hiệu đính] được thư ký sửa so với bản chuyển giọng nói tự động.",
        "log_note": "Mã SHA-256 của sự kiện cuối cùng trong nhật ký kỳ họp (kiểm tra bằng lệnh meetingapp verify-log):",
        "col_no": "TT",
        "col_name": "Họ và tên",
        "col_unit": "Đơn vị",
        "col_method": "Hình thức",
        "col_time": "Thời gian",
        "col_note": "Ghi chú",
        "present": "Có mặt",
        "absent": "Vắng",
        "secret_only_totals": "Bỏ phiếu kín: chỉ công bố tổng số.",
    },
    "en": {
        "transcripts": "ANNEX I. VERBATIM TRANSCRIPT OF EVERY SPEECH",
        "attendance": "ANNEX II. ATTENDANCE",
        "tallies": "ANNEX III. DETAILED VOTING RESULTS",
        "log": "ANNEX IV. EVENT-LOG HASH",
        "edited_note": "Passages marked [đã hiệu đính] were corrected by the clerk after speech recognition.",
        "log_note": "SHA-256 of the last event in the session's log (check with meetingapp verify-log):",
        "col_no": "No.",
        "col_name": "Full name",
        "col_unit": "Unit",
        "col_method": "Method",
        "col_time": "Time",
        "col_note": "Note",
        "present": "Present",
        "absent": "Absent",
        "secret_only_totals": "Secret ballot: totals only.",
    },
}
METHODS = {"face": "Khuôn mặt", "pin": "Mã PIN", "qr": "Mã QR", "manual": "Thủ công"}

"""What the demo meeting is about: the council, its delegates, the agenda, the documents and
what is said. Data only; ``meetingapp.demo`` plays it through the host."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

BODY_NAME = "Hội đồng nhân dân xã Tân Phú"
TERM = "XI, 2021-2026"  # khóa XI, nhiệm kỳ 2021-2026
SESSION_TITLE = "Kỳ họp thứ Năm"
SESSION_NUMBER = 5
PLACE = "Hội trường UBND xã"

# (full name, title, unit)
NAMES = [
    ("Nguyễn Văn An", "Chủ tịch HĐND", "Tổ 1"),
    ("Trần Thị Bích Ngọc", "Phó Chủ tịch HĐND", "Tổ 1"),
    ("Lê Hoàng Dũng", "Trưởng ban Pháp chế", "Tổ 1"),
    ("Phạm Thị Hương", "Trưởng ban Kinh tế - Xã hội", "Tổ 2"),
    ("Hoàng Minh Đức", "Đại biểu", "Tổ 2"),
    ("Vũ Thị Thu Hà", "Đại biểu", "Tổ 2"),
    ("Đặng Quốc Khánh", "Đại biểu", "Tổ 3"),
    ("Bùi Thị Lan", "Đại biểu", "Tổ 3"),
    ("Đỗ Văn Hải", "Đại biểu", "Tổ 3"),
    ("Ngô Thị Mỹ Linh", "Đại biểu", "Tổ 4"),
    ("Dương Văn Thắng", "Đại biểu", "Tổ 4"),
    ("Lý Thị Tuyết", "Đại biểu", "Tổ 4"),
]
HONORIFICS = ["Ông", "Bà"] * 6  # the roster's "Danh xưng" column, in the order of NAMES
CHAIR, SECRETARY = 0, 2  # indices into NAMES
FACE = 5  # checks in by face: the demo photo is enrolled for her
MANUAL = 8  # checked in by the secretary, with a reason
MANUAL_REASON = "Máy tính bảng hết pin, thư ký xác nhận trực tiếp"
ABSENT = (6, 11)


def pin_of(index: int) -> str:
    return f"{1000 + (index + 1) * 7:04d}"


AGENDA = [
    ("Tờ trình về kế hoạch đầu tư công năm 2027", "UBND xã", "proposal"),
    ("Đề án sáp nhập thôn Đồng Xoài và thôn Bến Cát", "UBND xã", "resolution"),
]

# (agenda index, title, type, number/symbol, pages: list of paragraphs per page)
DOCUMENTS = [
    (
        0,
        "Tờ trình kế hoạch đầu tư công năm 2027",
        "Tờ trình",
        "125/TTr-UBND",
        [
            [
                "TỜ TRÌNH",
                "Về kế hoạch đầu tư công năm 2027",
                "Kính gửi: Hội đồng nhân dân xã Tân Phú.",
                "Ủy ban nhân dân xã trình Hội đồng nhân dân xã xem xét, thông qua kế hoạch "
                "đầu tư công năm 2027 với tổng vốn 12.500 triệu đồng.",
            ],
            [
                "I. Danh mục dự án",
                "1. Nâng cấp đường giao thông nông thôn liên thôn, 4.200 triệu đồng.",
                "2. Xây dựng phòng học trường tiểu học Tân Phú, 5.800 triệu đồng.",
                "3. Cải tạo trạm y tế xã, 2.500 triệu đồng.",
            ],
            [
                "II. Nguồn vốn và tiến độ",
                "Ngân sách tỉnh hỗ trợ 60%, ngân sách xã đối ứng 40%; giải ngân trong năm 2027.",
                "Ủy ban nhân dân xã kính trình Hội đồng nhân dân xã xem xét, quyết định.",
            ],
        ],
    ),
    (
        1,
        "Đề án sáp nhập thôn Đồng Xoài và thôn Bến Cát",
        "Đề án",
        "47/ĐA-UBND",
        [
            [
                "ĐỀ ÁN",
                "Sáp nhập thôn Đồng Xoài và thôn Bến Cát",
                "Thôn Đồng Xoài có 142 hộ, thôn Bến Cát có 118 hộ; cả hai chưa đạt tiêu chuẩn "
                "quy mô theo quy định.",
            ],
            [
                "Phương án: sáp nhập thành thôn Đồng Cát, 260 hộ, trụ sở tại nhà văn hóa "
                "thôn Đồng Xoài.",
                "Ý kiến cử tri: 71% số hộ đồng ý.",
            ],
        ],
    ),
]

# (speaker index, agenda index, text read by the demo voice)
SPEECHES = [
    (
        4,
        0,
        "Tôi đồng ý với tờ trình về kế hoạch đầu tư công năm hai nghìn không trăm hai mươi "
        "bảy. Đề nghị ưu tiên vốn cho trường học và đường giao thông nông thôn.",
    ),
    (
        3,
        0,
        "Tôi đề nghị Ủy ban nhân dân xã làm rõ nguồn vốn đối ứng và tiến độ giải ngân của "
        "các dự án chuyển tiếp.",
    ),
    (
        7,
        1,
        "Về đề án sáp nhập thôn, cử tri thôn Bến Cát còn nhiều ý kiến khác nhau, cần lấy ý "
        "kiến nhân dân thêm một lần nữa.",
    ),
]

# (agenda index, title, form, choices in roster order of the present delegates)
MOTIONS = [
    (0, "Thông qua kế hoạch đầu tư công năm 2027", "electronic", ["yes"] * 8 + ["no", "abstain"]),
    (1, "Thông qua đề án sáp nhập thôn", "secret", ["yes"] * 6 + ["no"] * 3 + ["abstain"]),
]
DROPPER = 9  # this delegate's tablet loses its connection in the middle of the first vote


def asset(name: str) -> Path:
    return Path(str(files("meetingapp") / "demo_assets" / name))

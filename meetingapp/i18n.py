"""The one text catalogue: every user-visible string of the core, the host and the app,
Vietnamese first, English available.

Messages are looked up by key and formatted with named placeholders, so the same error can be
shown in either language at the one boundary that talks to a person (CLI, server, UI). The
core's messages are here; the app's texts and the domain labels (roles, ballot forms, methods,
states, command names) are in ``meetingapp/i18n_ui.py`` and merged into ``MESSAGES`` below.
``meetingapp i18n export FILE.csv|FILE.po`` writes them all for translators; a test checks that
every key has both languages with the same placeholders.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # errors: state machine
    "illegal_transition": {
        "vi": "Không thể {action}: {reason}",
        "en": "Cannot {action}: {reason}",
    },
    "unknown_entity": {
        "vi": "Không tìm thấy {kind} “{ident}”.",
        "en": "No {kind} “{ident}”.",
    },
    "invalid_value": {
        "vi": "Giá trị không hợp lệ cho {field}: {detail}",
        "en": "Invalid value for {field}: {detail}",
    },
    "duplicate_command": {
        "vi": "Lệnh {command_id} đã được dùng cho một thao tác khác.",
        "en": "Command id {command_id} was already used for a different action.",
    },
    # reasons used with illegal_transition
    "reason.session_not_open": {
        "vi": "kỳ họp chưa khai mạc hoặc đã bế mạc",
        "en": "the session is not open",
    },
    "reason.session_already_opened": {
        "vi": "kỳ họp đã khai mạc",
        "en": "the session was already opened",
    },
    "reason.session_closed": {"vi": "kỳ họp đã bế mạc", "en": "the session is closed"},
    "reason.roll_call_open": {"vi": "đang điểm danh", "en": "roll call is already open"},
    "reason.roll_call_not_open": {"vi": "chưa mở điểm danh", "en": "roll call is not open"},
    "reason.not_on_roster": {
        "vi": "người này không có trong danh sách đại biểu",
        "en": "this person is not on the roster",
    },
    "reason.already_present": {
        "vi": "đại biểu đã điểm danh",
        "en": "the delegate is already checked in",
    },
    "reason.not_present": {"vi": "đại biểu chưa điểm danh", "en": "the delegate is not checked in"},
    "reason.reason_required": {"vi": "cần ghi lý do", "en": "a reason is required"},
    "reason.item_active": {
        "vi": "đang có nội dung khác được thảo luận",
        "en": "another agenda item is in progress",
    },
    "reason.item_not_pending": {
        "vi": "nội dung này đã bắt đầu hoặc đã kết thúc",
        "en": "this item has already started or ended",
    },
    "reason.item_not_active": {
        "vi": "nội dung này không đang diễn ra",
        "en": "this item is not in progress",
    },
    "reason.no_active_item": {
        "vi": "chưa có nội dung nào đang diễn ra",
        "en": "no agenda item is in progress",
    },
    "reason.floor_already_requested": {
        "vi": "đại biểu đã đăng ký phát biểu",
        "en": "the delegate already asked for the floor",
    },
    "reason.floor_request_not_waiting": {
        "vi": "yêu cầu phát biểu không còn chờ",
        "en": "the floor request is no longer waiting",
    },
    "reason.someone_speaking": {
        "vi": "đang có người phát biểu",
        "en": "someone else holds the floor",
    },
    "reason.speech_not_running": {
        "vi": "bài phát biểu không đang diễn ra",
        "en": "this speech is not running",
    },
    "reason.motion_open": {
        "vi": "đang có một cuộc biểu quyết khác",
        "en": "another motion is open",
    },
    "reason.motion_not_open": {
        "vi": "cuộc biểu quyết không đang mở",
        "en": "the motion is not open",
    },
    "reason.motion_not_draft": {
        "vi": "cuộc biểu quyết đã được mở trước đó",
        "en": "the motion was already opened",
    },
    "reason.no_quorum": {
        "vi": "chưa đủ số đại biểu tối thiểu ({present}/{total})",
        "en": "no quorum ({present}/{total} present)",
    },
    "reason.already_voted": {
        "vi": "đại biểu đã biểu quyết",
        "en": "the delegate has already voted",
    },
    "reason.change_not_allowed": {
        "vi": "không được thay đổi biểu quyết",
        "en": "changing a ballot is not allowed",
    },
    "reason.wrong_form": {
        "vi": "hình thức biểu quyết không phù hợp",
        "en": "not possible with this form of voting",
    },
    "reason.no_consent": {
        "vi": "đại biểu chưa đồng ý cho sử dụng dữ liệu khuôn mặt",
        "en": "the delegate has not consented to face data",
    },
    "reason.minutes_final": {
        "vi": "biên bản đã được hoàn tất, không thay đổi được nữa",
        "en": "the minutes are final and cannot change",
    },
    "reason.minutes_not_final": {
        "vi": "biên bản chưa được hoàn tất",
        "en": "the minutes are not final yet",
    },
    "minutes.not_this": {
        "vi": "Tệp đã ký không phải là bản biên bản đã hoàn tất (nội dung khác).",
        "en": "The signed file is not the finalised minutes (different content).",
    },
    "minutes.bad_signatures": {
        "vi": "Chữ ký trong tệp không hợp lệ hoặc sai thứ tự: {detail}",
        "en": "The file's signatures are invalid or out of order: {detail}",
    },
    "reason.session_not_closed": {
        "vi": "kỳ họp chưa bế mạc",
        "en": "the session has not been closed",
    },
    "reason.counts_exceed_total": {
        "vi": "tổng số phiếu ({counted}) vượt quá số đại biểu có mặt ({present})",
        "en": "the counts ({counted}) exceed the delegates present ({present})",
    },
    # roster import
    "roster.row_error": {
        "vi": "Dòng {line}, cột “{field}”: {detail}",
        "en": "Line {line}, column “{field}”: {detail}",
    },
    "roster.failed": {
        "vi": "Không nhập danh sách: {count} lỗi, chưa có dữ liệu nào được ghi.",
        "en": "Roster not imported: {count} error(s); nothing was written.",
    },
    "roster.required": {"vi": "bắt buộc phải có", "en": "is required"},
    "roster.duplicate": {"vi": "trùng với dòng {other}", "en": "duplicates line {other}"},
    "roster.exists": {"vi": "đã có trong danh sách", "en": "is already on the roster"},
    "roster.not_a_number": {"vi": "phải là số", "en": "must be a number"},
    "roster.too_long": {"vi": "dài quá {limit} ký tự", "en": "longer than {limit} characters"},
    "roster.pin_format": {"vi": "mã PIN phải gồm 4–8 chữ số", "en": "the PIN must be 4–8 digits"},
    "roster.honorific": {
        "vi": "danh xưng phải là Ông hoặc Bà (hoặc để trống)",
        "en": "the honorific must be Ông or Bà (or empty)",
    },
    "roster.missing_columns": {"vi": "thiếu cột: {columns}", "en": "missing column(s): {columns}"},
    "roster.unreadable": {
        "vi": "không đọc được tệp: {detail}",
        "en": "cannot read the file: {detail}",
    },
    "roster.unsupported": {
        "vi": "chỉ nhận tệp .csv hoặc .xlsx",
        "en": "only .csv or .xlsx files are accepted",
    },
    "roster.empty": {"vi": "tệp không có dòng dữ liệu nào", "en": "the file has no data rows"},
    # event log
    "log.broken": {
        "vi": "Nhật ký sự kiện bị sửa đổi: sự kiện #{seq} ({reason}).",
        "en": "Event log tampered with: event #{seq} ({reason}).",
    },
    "asr.progress": {
        "vi": "Đang chuyển lời nói thành văn bản:",
        "en": "Transcribing:",
    },
    "log.ok": {
        "vi": "Nhật ký toàn vẹn: {count} sự kiện, mã băm cuối {head}.",
        "en": "Event log intact: {count} events, final hash {head}.",
    },
    "log.reason.hash": {
        "vi": "nội dung không khớp mã băm",
        "en": "content does not match its hash",
    },
    "log.reason.prev": {
        "vi": "không nối với sự kiện trước",
        "en": "does not link to the previous event",
    },
    "log.reason.seq": {"vi": "số thứ tự bị đứt", "en": "sequence number gap"},
    "log.anchor.ok": {
        "vi": "Khớp với biên bản đã ký: mã băm {hash} là sự kiện #{seq}.",
        "en": "Matches the signed minutes: hash {hash} is event #{seq}.",
    },
    "log.anchor.missing": {
        "vi": "Nhật ký đã bị viết lại: mã băm in trong biên bản đã ký ({hash}) không có trong "
        "chuỗi.",
        "en": "The log was rewritten: the hash printed in the signed minutes ({hash}) is not in "
        "the chain.",
    },
    "log.checkpoints.ok": {
        "vi": "Khớp với {count} điểm kiểm tra đã ký của máy chủ.",
        "en": "Matches {count} signed checkpoints of the host.",
    },
    "log.checkpoints.bad_signature": {
        "vi": "Điểm kiểm tra #{seq} không có chữ ký hợp lệ của máy chủ.",
        "en": "Checkpoint #{seq} is not validly signed by the host.",
    },
    "log.checkpoints.mismatch": {
        "vi": "Nhật ký đã bị viết lại: sự kiện #{seq} khác với điểm kiểm tra đã ký.",
        "en": "The log was rewritten: event #{seq} differs from the signed checkpoint.",
    },
    "log.anchor.no_hash": {
        "vi": "Không tìm thấy mã băm nhật ký trong tệp PDF.",
        "en": "No log hash found in the PDF.",
    },
    "log.anchor.not_signed": {
        "vi": "Tệp PDF không có chữ ký số hợp lệ, hoặc đã bị sửa sau khi ký.",
        "en": "The PDF has no valid signature, or was changed after signing.",
    },
    "log.reason.unreadable": {"vi": "không đọc được nội dung", "en": "content cannot be read"},
    # store
    "db.not_found": {
        "vi": "Không tìm thấy cơ sở dữ liệu: {path}",
        "en": "Database not found: {path}",
    },
    "db.in_use": {
        "vi": "Cơ sở dữ liệu {path} đang được {holder} (tiến trình {pid}) ghi. Hãy dừng máy chủ "
        "trước, hoặc làm việc này qua máy chủ (bảng điều khiển của thư ký).",
        "en": "The database {path} is being written by {holder} (process {pid}). Stop the host "
        "first, or do this through the host (the secretary's console).",
    },
    "db.not_sqlite": {
        "vi": "Tệp không phải là cơ sở dữ liệu của meetingapp: {path}",
        "en": "Not a meetingapp database: {path}",
    },
    # host
    "auth.required": {
        "vi": "Thiết bị chưa được ghép nối hoặc mã truy cập không hợp lệ.",
        "en": "This device is not paired or its token is invalid.",
    },
    "auth.forbidden": {
        "vi": "Vai trò “{role}” không được phép làm việc này.",
        "en": "The role “{role}” may not do this.",
    },
    "auth.not_yours": {
        "vi": "Thiết bị này chỉ được thao tác cho đại biểu đã đăng nhập.",
        "en": "This device may act only for the delegate signed in on it.",
    },
    "auth.not_bound": {
        "vi": "Chưa có đại biểu nào đăng nhập trên thiết bị này.",
        "en": "No delegate is signed in on this device.",
    },
    "auth.bad_code": {
        "vi": "Mã ghép nối không đúng hoặc đã hết hạn.",
        "en": "The pairing code is wrong or has expired.",
    },
    "auth.bad_pin": {"vi": "Mã PIN không đúng.", "en": "Wrong PIN."},
    "auth.rate_limited": {
        "vi": "Thử sai quá nhiều lần. Hãy thử lại sau {seconds} giây.",
        "en": "Too many failed attempts. Try again in {seconds} seconds.",
    },
    "auth.csrf": {
        "vi": "Yêu cầu bị từ chối: không đến từ trang của máy chủ họp.",
        "en": "Request refused: it did not come from the meeting host's own page.",
    },
    "request.invalid": {"vi": "Yêu cầu không hợp lệ: {detail}", "en": "Invalid request: {detail}"},
    "document.not_pdf": {
        "vi": "Tệp không phải là PDF hợp lệ: {detail}",
        "en": "The file is not a valid PDF: {detail}",
    },
    "document.too_large": {
        "vi": "Tệp quá lớn (tối đa {limit_mb} MB).",
        "en": "The file is too large (at most {limit_mb} MB).",
    },
    # host: security (docs/security.md)
    "request.too_large": {
        "vi": "Nội dung yêu cầu quá lớn (tối đa {limit}).",
        "en": "The request body is too large (at most {limit}).",
    },
    "request.malformed": {
        "vi": "Không đọc được nội dung yêu cầu (JSON hỏng hoặc lồng quá sâu).",
        "en": "The request body cannot be read (broken or too deeply nested JSON).",
    },
    "request.not_found": {
        "vi": "Không có địa chỉ này trên máy chủ.",
        "en": "There is no such address on the host.",
    },
    "request.method_not_allowed": {
        "vi": "Địa chỉ này không nhận phương thức đó.",
        "en": "This address does not accept that method.",
    },
    "request.error": {
        "vi": "Yêu cầu không được chấp nhận (HTTP {status}).",
        "en": "The request was not accepted (HTTP {status}).",
    },
    "server.error": {
        "vi": "Máy chủ gặp lỗi ngoài dự kiến; thao tác chưa được thực hiện.",
        "en": "The host hit an unexpected error; nothing was done.",
    },
    "recording.other_device": {
        "vi": "Một thiết bị khác đang ghi âm bài phát biểu này.",
        "en": "Another device is recording this speech.",
    },
    "recording.sealed": {
        "vi": "Bài phát biểu đã kết thúc; bản ghi âm đã được niêm phong.",
        "en": "The speech has ended; its recording is sealed.",
    },
    "minutes.untrusted": {
        "vi": "Biên bản đã ký không được chấp nhận: {detail}",
        "en": "The signed minutes are not accepted: {detail}",
    },
    "roster.forbidden_chars": {
        "vi": "có ký tự điều khiển hoặc ký tự đảo chiều ({chars})",
        "en": "has control or bidirectional-override characters ({chars})",
    },
    "text.forbidden_chars": {
        "vi": "{field} chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản không được phép.",
        "en": "{field} contains control or bidirectional-override characters.",
    },
    "face.too_large": {
        "vi": "Ảnh quá lớn (tối đa {limit} điểm ảnh).",
        "en": "The image is too large (at most {limit} pixels).",
    },
    "device.revoked": {
        "vi": "Đã thu hồi thiết bị {device_id}.",
        "en": "Device {device_id} has been revoked.",
    },
    # exports
    "export.no_libreoffice": {
        "vi": "Không tìm thấy LibreOffice (soffice). Cài đặt: apt-get install libreoffice-writer-nogui",
        "en": "LibreOffice (soffice) not found. Install it: apt-get install libreoffice-writer-nogui",
    },
    # external tools (meetingapp/tools_check.py)
    "tools.missing": {
        "vi": "Thiếu {tool}. Chưa dùng được: {features}. Cần cài đặt: {install}",
        "en": "{tool} is missing. Waiting for it: {features}. Install: {install}",
    },
    "tools.libreoffice.features": {
        "vi": "chuyển biên bản và tài liệu DOCX sang PDF (lập dự thảo, hoàn tất và ký số biên bản)",
        "en": "converting the minutes and DOCX documents to PDF (drafting, finalising and signing the minutes)",
    },
    "tools.libreoffice.install.linux": {
        "vi": "sudo apt-get install libreoffice-writer-nogui (hoặc bộ LibreOffice từ libreoffice.org)",
        "en": "sudo apt-get install libreoffice-writer-nogui (or LibreOffice from libreoffice.org)",
    },
    "tools.libreoffice.install.windows": {
        "vi": "LibreOffice từ https://www.libreoffice.org/download (bộ cài .msi, cài vào thư mục mặc định)",
        "en": "LibreOffice from https://www.libreoffice.org/download (the .msi installer, default folder)",
    },
    "tools.poppler.features": {
        "vi": "kiểm tra chữ ký số lần thứ hai, độc lập, bằng pdfsig (trong cuộc họp mẫu)",
        "en": "the second, independent signature check with pdfsig (in the demo meeting)",
    },
    "tools.poppler.install.linux": {
        "vi": "sudo apt-get install poppler-utils",
        "en": "sudo apt-get install poppler-utils",
    },
    "tools.poppler.install.windows": {
        "vi": "poppler cho Windows (github.com/oschwartz10612/poppler-windows), giải nén vào C:\\Program Files\\poppler",
        "en": "poppler for Windows (github.com/oschwartz10612/poppler-windows), unpacked into C:\\Program Files\\poppler",
    },
    "tools.rest_works": {
        "vi": "Mọi chức năng khác vẫn hoạt động: điểm danh, phát biểu, tài liệu, biểu quyết, chuyển lời nói thành văn bản, xuất biên bản DOCX.",
        "en": "Everything else works: roll call, floor, documents, votes, speech-to-text, the minutes as DOCX.",
    },
    "tools.found": {"vi": "✓ {tool}: {path}", "en": "✓ {tool}: {path}"},
    "tools.all_found": {
        "vi": "Đã có đủ công cụ ngoài (LibreOffice, poppler).",
        "en": "All external tools are here (LibreOffice, poppler).",
    },
    "tools.demo_needs_libreoffice": {
        "vi": "Cuộc họp mẫu cần LibreOffice (tài liệu và biên bản của nó là PDF): hãy cài đặt rồi chạy lại.",
        "en": "The demo meeting needs LibreOffice (its documents and minutes are PDFs): install it, then run it again.",
    },
    "tools.pdfsig_skipped": {
        "vi": "chưa kiểm tra (thiếu poppler-utils)",
        "en": "not checked (poppler-utils missing)",
    },
    "export.convert_failed": {
        "vi": "Không chuyển được sang PDF: {detail}",
        "en": "Conversion to PDF failed: {detail}",
    },
    "sign.failed": {"vi": "Ký số không thành công: {detail}", "en": "Signing failed: {detail}"},
    "sign.no_label": {
        "vi": "Không tìm thấy khối chữ ký “{label}” trong bản PDF.",
        "en": "The signature block “{label}” was not found in the PDF.",
    },
    "sign.no_key_file": {
        "vi": "Không đọc được tệp khóa {path}.",
        "en": "Cannot read the key file {path}.",
    },
    "sign.bad_password": {
        "vi": "Sai mật khẩu của tệp chứng thư {path}. Tệp biên bản không bị thay đổi.",
        "en": "Wrong password for the certificate file {path}. The minutes file was not changed.",
    },
    "sign.token": {
        "vi": "Lỗi thiết bị ký số (token): {detail}. Không thử lại mã PIN tự động.",
        "en": "Signing token error: {detail}. The PIN is never retried automatically.",
    },
    "sign.cert_expired": {
        "vi": "Chứng thư số của {subject} không còn hiệu lực (hết hạn {until}).",
        "en": "The certificate of {subject} is not valid now (valid until {until}).",
    },
    "sign.cert_unsuitable": {
        "vi": "Chứng thư số của {subject} không dùng để ký văn bản.",
        "en": "The certificate of {subject} is not for signing documents.",
    },
    "sign.not_pdf": {
        "vi": "Tệp không phải là PDF hợp lệ: {detail}",
        "en": "Not a valid PDF: {detail}",
    },
    "sign.bad_role": {
        "vi": "Vai trò ký không hợp lệ: {role} (secretary, chair, seal).",
        "en": "Unknown signing role: {role} (secretary, chair, seal).",
    },
    "sign.no_field": {
        "vi": "Biên bản chưa có ô chữ ký {field}; hãy hoàn tất (finalise) biên bản trước.",
        "en": "The minutes have no signature field {field}; finalise them first.",
    },
    "sign.already_signed": {
        "vi": "Ô chữ ký {field} đã được ký.",
        "en": "The field {field} is already signed.",
    },
    "sign.order": {
        "vi": "Sai thứ tự ký: trước {field} phải có chữ ký {needed} (hiện có: {signed}).",
        "en": "Wrong signing order: {field} needs {needed} first (signed so far: {signed}).",
    },
    "sign.earlier_invalid": {
        "vi": "Chữ ký {field} trước đó không còn hợp lệ; không ký tiếp.",
        "en": "The earlier signature {field} no longer validates; not signing.",
    },
    "appearance.bad_image": {
        "vi": "Không đọc được ảnh chữ ký/con dấu: {detail}",
        "en": "Cannot read the signature/seal image: {detail}",
    },
    "appearance.too_large": {
        "vi": "Ảnh quá lớn ({pixels} điểm ảnh); hãy quét ở 300–600 dpi.",
        "en": "The image is too large ({pixels} pixels); scan at 300–600 dpi.",
    },
    "appearance.no_ink": {
        "vi": "Không thấy nét mực trên ảnh (ảnh trắng hoặc quá mờ).",
        "en": "No ink found in the image (blank or too faint).",
    },
    "appearance.not_strokes": {
        "vi": "Ảnh không giống chữ ký trên giấy trắng ({percent}% bị phủ kín); hãy chụp/quét chữ ký trên nền giấy trắng.",
        "en": "The image does not look like a signature on white paper ({percent}% covered); scan or photograph it on white paper.",
    },
    "appearance.bad_name": {
        "vi": "Tên hồ sơ không hợp lệ: “{name}”.",
        "en": "Invalid profile name: “{name}”.",
    },
    # record package
    "package.unreadable": {
        "vi": "Không mở được hồ sơ {name}: {detail}",
        "en": "Cannot open the package {name}: {detail}",
    },
    "package.no_manifest": {
        "vi": "Hồ sơ không có manifest.json (danh mục mã băm).",
        "en": "The package has no manifest.json (hash list).",
    },
    "package.missing": {
        "vi": "Thiếu tệp {member} có trong danh mục.",
        "en": "The member {member} listed in the manifest is missing.",
    },
    "package.unlisted": {
        "vi": "Tệp {member} không có trong danh mục mã băm.",
        "en": "The member {member} is not in the manifest.",
    },
    "package.hash": {
        "vi": "Tệp {member} đã bị thay đổi: mã SHA-256 khác danh mục.",
        "en": "The member {member} was changed: its SHA-256 differs from the manifest.",
    },
    "package.no_signed": {
        "vi": "Hồ sơ không có biên bản đã ký số.",
        "en": "The package holds no signed minutes.",
    },
    "package.signature": {
        "vi": "Chữ ký {field} trong {member} không hợp lệ ({detail}).",
        "en": "The signature {field} in {member} is not valid ({detail}).",
    },
    "package.log": {
        "vi": "Nhật ký sự kiện {member} hỏng tại sự kiện {seq}: {reason}",
        "en": "The event log {member} breaks at event {seq}: {reason}",
    },
    "package.log_hash": {
        "vi": "Mã băm nhật ký in trong biên bản ({printed}) không có trong nhật ký {member}.",
        "en": "The log hash printed in the minutes ({printed}) is not in the event log {member}.",
    },
    "package.no_printed_hash": {
        "vi": "Không tìm thấy mã băm nhật ký trong biên bản {member}.",
        "en": "No event-log hash found in the minutes {member}.",
    },
    "package.audio": {
        "vi": "Bản ghi âm {member} không phải bản đã ghi trong nhật ký trước khi lập biên bản.",
        "en": "The recording {member} is not one the log recorded before the minutes were made.",
    },
    "package.docx": {
        "vi": "Tệp {member} không phải bản DOCX đã hoàn tất (mã băm khác nhật ký).",
        "en": "{member} is not the finalised DOCX (its hash differs from the log).",
    },
    "package.not_finalised": {
        "vi": "Biên bản ký số {member} không được ký trên bản PDF đã hoàn tất.",
        "en": "The signed minutes {member} were not signed on the finalised PDF.",
    },
    "package.ok": {
        "vi": "Hồ sơ HỢP LỆ: {files} tệp khớp danh mục, {signatures} chữ ký hợp lệ, nhật ký {events} sự kiện liền mạch đến mã băm in trong biên bản {printed}",
        "en": "Package VALID: {files} files match the manifest, {signatures} valid signatures, a log of {events} events unbroken up to the hash printed in the minutes {printed}",
    },
    # audio
    "audio.unreadable": {
        "vi": "Không đọc được tệp âm thanh {name}: {detail}",
        "en": "Cannot read the audio file {name}: {detail}",
    },
    "audio.no_stream": {
        "vi": "Tệp {name} không có âm thanh.",
        "en": "The file {name} has no audio.",
    },
    # faces
    "face.enrol_refused": {
        "vi": "Không đăng ký khuôn mặt: có ảnh không đạt yêu cầu.",
        "en": "Face enrolment refused: some photos do not qualify.",
    },
    "face.format": {
        "vi": "Ảnh phải là JPEG, PNG hoặc WebP.",
        "en": "The photo must be a JPEG, PNG or WebP image.",
    },
    "face.unreadable": {
        "vi": "Không đọc được ảnh: {detail}",
        "en": "The image cannot be read: {detail}",
    },
    "face.none": {"vi": "Không thấy khuôn mặt nào trong ảnh.", "en": "No face found in the photo."},
    "face.many": {
        "vi": "Ảnh có {count} khuôn mặt; cần ảnh chỉ có một người.",
        "en": "The photo shows {count} faces; it must show one person only.",
    },
    "face.small": {
        "vi": "Khuôn mặt quá nhỏ ({pixels} điểm ảnh, cần ít nhất {minimum}); hãy chụp gần hơn.",
        "en": "The face is too small ({pixels} px, at least {minimum} needed); move closer.",
    },
    "face.blurry": {
        "vi": "Ảnh bị mờ; hãy giữ máy ổn định và chụp lại.",
        "en": "The photo is blurred; hold still and take it again.",
    },
    "face.not_frontal": {
        "vi": "Hãy nhìn thẳng vào máy ảnh.",
        "en": "Please look straight at the camera.",
    },
    "face.no_consent": {
        "vi": "Đại biểu chưa đồng ý sử dụng dữ liệu khuôn mặt; chỉ dùng PIN/QR.",
        "en": "The delegate has not consented to face data; use PIN/QR only.",
    },
    "face.not_enrolled": {
        "vi": "Chưa có mẫu khuôn mặt nào được đăng ký.",
        "en": "No face templates are enrolled.",
    },
    "face.too_few": {
        "vi": "Cần {minimum}–{maximum} ảnh đạt yêu cầu (hiện có {count}).",
        "en": "{minimum}–{maximum} good photos are needed ({count} given).",
    },
    "face.key": {
        "vi": "Không đọc được khóa mã hóa mẫu khuôn mặt: {detail}",
        "en": "The face template key cannot be read: {detail}",
    },
    # domain labels
    "choice.yes": {"vi": "Tán thành", "en": "In favour"},
    "choice.no": {"vi": "Không tán thành", "en": "Against"},
    "choice.abstain": {"vi": "Không biểu quyết", "en": "Abstain"},
    # a delegate who cast nothing did not take part: never counted as "Không biểu quyết"
    "result.took_part": {"vi": "Tham gia biểu quyết", "en": "Took part"},
    "result.did_not_take_part": {"vi": "Không tham gia biểu quyết", "en": "Did not take part"},
    "result.passed": {"vi": "Thông qua", "en": "Passed"},
    "result.failed": {"vi": "Không thông qua", "en": "Not passed"},
    "quorum.met": {"vi": "đủ số đại biểu tối thiểu", "en": "quorum met"},
    "quorum.not_met": {"vi": "chưa đủ số đại biểu tối thiểu", "en": "no quorum"},
}


def current_language() -> str:
    """The language chosen with MEETINGAPP_LANG (vi or en), Vietnamese by default."""
    lang = os.environ.get("MEETINGAPP_LANG", DEFAULT_LANGUAGE).lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` and fill its named placeholders."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang or current_language()) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def _merge_catalogue() -> None:
    """The app's texts and the domain labels join the core's messages: one catalogue."""
    from meetingapp.i18n_trust import TRUST
    from meetingapp.i18n_ui import LABELS, UI, WEB, WEB_DISPLAY

    for part in (LABELS, UI, WEB, WEB_DISPLAY, TRUST):
        clash = set(part) & set(MESSAGES)
        if clash:
            raise RuntimeError(f"duplicate message keys: {sorted(clash)}")
        MESSAGES.update(part)


_merge_catalogue()


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message ("{present}/{total}" → {"present", "total"})."""
    import string

    return {
        name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name
    }


def export_catalogue(out: Path) -> int:
    """Every message (core, host, app) for translators: CSV (key, vi, en, placeholders) or
    gettext PO (msgctxt = key, msgid = English, msgstr = Vietnamese). Returns the count."""
    if out.suffix.lower() == ".po":
        lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
        for key in sorted(MESSAGES):
            entry = MESSAGES[key]
            lines += [
                f"msgctxt {_po(key)}",
                f"msgid {_po(entry['en'])}",
                f"msgstr {_po(entry['vi'])}",
                "",
            ]
        out.write_text("\n".join(lines), encoding="utf-8")
        return len(MESSAGES)
    import csv

    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "vi", "en", "placeholders"])
        for key in sorted(MESSAGES):
            entry = MESSAGES[key]
            names = " ".join(sorted(placeholders(entry["vi"]) | placeholders(entry["en"])))
            writer.writerow([key, entry["vi"], entry["en"], names])
    return len(MESSAGES)


def _po(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

# ruff: noqa: E501 — a catalogue: one text per line, however long
"""Texts of trust on the tablet (``meetingapp/tablet_trust.py``: the download page, the
configuration profile and the printed instruction sheet), in the one catalogue (merged into
``meetingapp.i18n.MESSAGES``). The names of the tablets' own settings are given as the tablet
shows them in Vietnamese, with the English name in brackets (makers word them differently)."""

from __future__ import annotations

TRUST: dict[str, dict[str, str]] = {
    "ui.print_the_trust_sheet": {
        "vi": "In hướng dẫn cài chứng chỉ cho máy tính bảng dùng trình duyệt (PDF)…",
        "en": "Print the certificate steps for browser tablets (PDF)…",
    },
    "ui.trust_sheet_written_x": {
        "vi": "Đã lưu hướng dẫn cài chứng chỉ: {path}",
        "en": "Certificate steps saved: {path}",
    },
    "trust.title": {
        "vi": "Cài chứng chỉ của máy chủ họp lên máy tính bảng",
        "en": "Trusting the meeting host on a tablet",
    },
    "trust.intro": {
        "vi": "Làm một lần cho mỗi máy tính bảng và mỗi màn hình hội trường dùng trình duyệt, trước khi ghép máy. Máy chủ họp dùng chứng chỉ bảo mật do chính nó cấp; trình duyệt chỉ tin máy chủ sau khi chứng chỉ gốc (CA) của máy chủ được cài và bật tin cậy trên máy.",
        "en": "Do this once on every tablet and every hall display that uses a browser, before pairing it. The meeting host issues its own security certificate; the browser trusts the host only once the host's root certificate (CA) is installed and trusted on the device.",
    },
    "trust.profile_description": {
        "vi": "Chứng chỉ gốc của máy chủ họp không giấy trong hội trường",
        "en": "Root certificate of the paperless meeting host in the hall",
    },
    "trust.download_ipad": {
        "vi": "Tải hồ sơ cho iPad / iPhone",
        "en": "Download the profile for iPad / iPhone",
    },
    "trust.download_android": {
        "vi": "Tải chứng chỉ cho Android",
        "en": "Download the certificate for Android",
    },
    "trust.scan": {
        "vi": "Quét mã QR bằng máy ảnh của máy tính bảng, hoặc gõ địa chỉ:",
        "en": "Scan the QR code with the tablet's camera, or type the address:",
    },
    "trust.compare": {
        "vi": "Dấu vân tay SHA-256 của chứng chỉ — so sánh từng cặp ký tự trước khi tin cậy:",
        "en": "SHA-256 fingerprint of the certificate — compare every pair before trusting it:",
    },
    "trust.why_fingerprint": {
        "vi": "Vì sao phải so sánh: máy tính bảng chưa tin máy chủ nên tải chứng chỉ qua kết nối chưa kiểm chứng (HTTP thường); trên mạng, kẻ gian có thể đưa một chứng chỉ khác. Phiếu này được in từ chính máy chủ, nên dấu vân tay in ở đây là bằng chứng. Nếu dấu vân tay trên máy khác với phiếu: KHÔNG cài, xóa hồ sơ/chứng chỉ vừa tải và báo ngay cho thư ký kỳ họp.",
        "en": "Why compare: the tablet does not trust the host yet, so it downloads the certificate over an unchecked connection (plain HTTP); someone on the network could hand it another certificate. This sheet was printed from the host itself, so the fingerprint printed here is the proof. If the fingerprint on the device differs from this sheet: do NOT install it, delete the downloaded profile/certificate and tell the session's secretary at once.",
    },
    "trust.then_open": {
        "vi": "Sau khi đã tin cậy, mở:",
        "en": "Once trusted, open:",
    },
    "trust.ipad": {"vi": "Trên iPad (iPadOS, Safari)", "en": "On an iPad (iPadOS, Safari)"},
    "trust.ipad_1": {
        "vi": "Quét mã QR bằng ứng dụng Camera (hoặc gõ địa chỉ vào Safari), chạm “Tải hồ sơ cho iPad / iPhone”, rồi chạm “Cho phép” (Allow) › “Đóng” (Close).",
        "en": "Scan the QR code with the Camera app (or type the address into Safari), tap “Download the profile for iPad / iPhone”, then “Allow” › “Close”.",
    },
    "trust.ipad_2": {
        "vi": "Mở Cài đặt (Settings) › chạm “Đã tải về hồ sơ” (Profile Downloaded) ngay dưới tên tài khoản; nếu không thấy: Cài đặt chung › VPN & Quản lý thiết bị (General › VPN & Device Management) › chọn hồ sơ “meetingapp host CA”.",
        "en": "Open Settings › tap “Profile Downloaded” just under the account name; if it is not there: General › VPN & Device Management › the profile “meetingapp host CA”.",
    },
    "trust.ipad_3": {
        "vi": "Chạm “Thêm chi tiết” (More Details) › chứng chỉ › so sánh dấu vân tay SHA-256 với phiếu này. Giống hệt: quay lại, chạm “Cài đặt” (Install), nhập mật mã của máy, “Cài đặt” › “Xong” (Done). Hồ sơ hiện “Chưa xác minh” (Unverified) là bình thường.",
        "en": "Tap “More Details” › the certificate › compare its SHA-256 fingerprint with this sheet. Identical: go back, tap “Install”, enter the device passcode, “Install” › “Done”. The profile showing “Unverified” is expected.",
    },
    "trust.ipad_4": {
        "vi": "Cài đặt › Cài đặt chung › Giới thiệu › Cài đặt tin cậy chứng nhận (Settings › General › About › Certificate Trust Settings) › bật “meetingapp host CA” (tin cậy hoàn toàn) › “Tiếp tục” (Continue).",
        "en": "Settings › General › About › Certificate Trust Settings › turn on full trust for “meetingapp host CA” › “Continue”.",
    },
    "trust.ipad_5": {
        "vi": "Kiểm tra: mở {base}/seat/ trong Safari — trang mở ra không có cảnh báo bảo mật. Sau đó ghép máy bằng phiếu ghép máy.",
        "en": "Check: open {base}/seat/ in Safari — the page opens with no security warning. Then pair the tablet with the pairing sheet.",
    },
    "trust.android": {
        "vi": "Trên máy tính bảng Android (Chrome)",
        "en": "On an Android tablet (Chrome)",
    },
    "trust.android_1": {
        "vi": "Máy cần có khóa màn hình (mã PIN hoặc mật khẩu); Android yêu cầu điều này trước khi cài chứng chỉ.",
        "en": "The device needs a screen lock (PIN or password); Android asks for one before it installs a certificate.",
    },
    "trust.android_2": {
        "vi": "Quét mã QR bằng máy ảnh (hoặc gõ địa chỉ vào Chrome), chạm “Tải chứng chỉ cho Android”; nếu Chrome hỏi, chọn “Vẫn tải xuống” (Keep). Tệp meetingapp-ca.crt nằm trong Tải xuống (Downloads).",
        "en": "Scan the QR code with the camera (or type the address into Chrome), tap “Download the certificate for Android”; if Chrome asks, choose “Keep”. The file meetingapp-ca.crt is in Downloads.",
    },
    "trust.android_3": {
        "vi": "Cài đặt › Bảo mật › Mã hóa và thông tin xác thực › Cài đặt chứng chỉ › Chứng chỉ CA (Settings › Security › Encryption & credentials › Install a certificate › CA certificate) › “Vẫn cài đặt” (Install anyway) › chọn meetingapp-ca.crt. Samsung: Sinh trắc học và bảo mật › Cài đặt bảo mật khác › Cài đặt từ bộ nhớ thiết bị › Chứng chỉ CA.",
        "en": "Settings › Security › Encryption & credentials › Install a certificate › CA certificate › “Install anyway” › choose meetingapp-ca.crt. Samsung: Biometrics and security › Other security settings › Install from device storage › CA certificate.",
    },
    "trust.android_4": {
        "vi": "So sánh: Cài đặt › Bảo mật › Mã hóa và thông tin xác thực › Thông tin xác thực đáng tin cậy › Người dùng (Trusted credentials › User) › “meetingapp host CA” › dấu vân tay SHA-256 phải giống phiếu này; nếu khác, chạm “Xóa” (Remove).",
        "en": "Compare: Settings › Security › Encryption & credentials › Trusted credentials › User › “meetingapp host CA” › its SHA-256 fingerprint must match this sheet; if not, tap “Remove”.",
    },
    "trust.android_5": {
        "vi": "Kiểm tra: mở {base}/seat/ trong Chrome (không dùng Firefox: nó không đọc chứng chỉ của hệ thống) — không có cảnh báo. Sau đó ghép máy bằng phiếu ghép máy.",
        "en": "Check: open {base}/seat/ in Chrome (not Firefox: it ignores the system's certificates) — no warning. Then pair the tablet with the pairing sheet.",
    },
    "trust.display": {
        "vi": "Màn hình hội trường (TV, máy chiếu có trình duyệt)",
        "en": "Hall display (a TV or projector with a browser)",
    },
    "trust.display_1": {
        "vi": "Cài chứng chỉ như trên theo hệ điều hành của máy (TV/hộp Android: như Android; máy tính: nhập meetingapp-ca.crt vào kho chứng chỉ tin cậy của hệ thống).",
        "en": "Install the certificate as above for the device's system (Android TV/box: as Android; a computer: import meetingapp-ca.crt into the system's trusted certificates).",
    },
    "trust.display_2": {
        "vi": "Thư ký tạo mã ghép máy với vai trò “Màn hình hội trường”; mở {base}/display/ trên trình duyệt của màn hình và nhập mã.",
        "en": "The secretary makes a pairing code with the role “Hall display”; open {base}/display/ in the display's browser and enter the code.",
    },
    "trust.display_3": {
        "vi": "Chạm hoặc bấm vào màn hình một lần để hiện toàn màn hình; màn hình tự kết nối lại khi mất máy chủ.",
        "en": "Tap or click the screen once to go fullscreen; the display reconnects by itself when the host is lost.",
    },
}

"""Qt's own dialogs in Vietnamese. PySide6 ships no ``qtbase_vi.qm``, so the strings of Qt's
standard buttons and its file dialog are translated here and installed as a translator while
the app runs in Vietnamese (the file dialog is Qt's own, not the desktop's, so it is covered)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTranslator

# (context, source) -> Vietnamese; "" context: any context
QT_VI: dict[tuple[str, str], str] = {
    ("", "OK"): "Đồng ý",
    ("", "&OK"): "&Đồng ý",
    ("", "Cancel"): "Hủy",
    ("", "&Cancel"): "&Hủy",
    ("", "Yes"): "Có",
    ("", "&Yes"): "&Có",
    ("", "No"): "Không",
    ("", "&No"): "&Không",
    ("", "Yes to &All"): "Có với &tất cả",
    ("", "N&o to All"): "K&hông với tất cả",
    ("", "Save"): "Lưu",
    ("", "&Save"): "&Lưu",
    ("", "Save All"): "Lưu tất cả",
    ("", "Open"): "Mở",
    ("", "&Open"): "&Mở",
    ("", "Close"): "Đóng",
    ("", "&Close"): "Đó&ng",
    ("", "Apply"): "Áp dụng",
    ("", "Reset"): "Đặt lại",
    ("", "Help"): "Trợ giúp",
    ("", "Discard"): "Bỏ qua",
    ("", "Don't Save"): "Không lưu",
    ("", "Close without Saving"): "Đóng không lưu",
    ("", "Retry"): "Thử lại",
    ("", "Ignore"): "Bỏ qua",
    ("", "Abort"): "Hủy bỏ",
    ("", "Restore Defaults"): "Khôi phục mặc định",
    ("", "Show Details..."): "Xem chi tiết…",
    ("", "Hide Details..."): "Ẩn chi tiết…",
    ("QFileDialog", "&Look in:"): "&Tìm trong:",
    ("QFileDialog", "Look in:"): "Tìm trong:",
    ("QFileDialog", "File &name:"): "&Tên tệp:",
    ("QFileDialog", "Files of &type:"): "&Loại tệp:",
    ("QFileDialog", "&Choose"): "&Chọn",
    ("QFileDialog", "&Delete"): "&Xóa",
    ("QFileDialog", "&New Folder"): "Thư mục &mới",
    ("QFileDialog", "New Folder"): "Thư mục mới",
    ("QFileDialog", "Create New Folder"): "Tạo thư mục mới",
    ("QFileDialog", "Create a New Folder"): "Tạo một thư mục mới",
    ("QFileDialog", "&Rename"): "Đổi &tên",
    ("QFileDialog", "All Files (*)"): "Mọi tệp (*)",
    ("QFileDialog", "Back"): "Lùi",
    ("QFileDialog", "Forward"): "Tiến",
    ("QFileDialog", "Go back"): "Quay lại",
    ("QFileDialog", "Go forward"): "Đi tiếp",
    ("QFileDialog", "Go to the parent directory"): "Lên thư mục cha",
    ("QFileDialog", "Parent Directory"): "Thư mục cha",
    ("QFileDialog", "List View"): "Dạng danh sách",
    ("QFileDialog", "Detail View"): "Dạng chi tiết",
    ("QFileDialog", "Change to list view mode"): "Chuyển sang dạng danh sách",
    ("QFileDialog", "Change to detail view mode"): "Chuyển sang dạng chi tiết",
    ("QFileDialog", "List of places and bookmarks"): "Các vị trí và dấu trang",
    ("QFileDialog", "Sidebar"): "Thanh bên",
    ("QFileDialog", "Files"): "Tệp",
    ("QFileDialog", "Show &hidden files"): "Hiện tệp &ẩn",
    ("QFileDialog", "Directory:"): "Thư mục:",
    ("QFileDialog", "Find Directory"): "Tìm thư mục",
    ("QFileDialog", "Save As"): "Lưu thành",
    ("QFileDialog", "My Computer"): "Máy tính",
    ("QFileDialog", "Recent Places"): "Nơi gần đây",
    ("QFileDialog", "Are you sure you want to delete '%1'?"): "Xóa “%1”?",
    (
        "QFileDialog",
        "%1 already exists.\nDo you want to replace it?",
    ): "%1 đã có.\nGhi đè lên tệp này?",
    (
        "QFileDialog",
        "%1\nFile not found.\nPlease verify the correct file name was given.",
    ): "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
    ("QFileSystemModel", "Name"): "Tên",
    ("QFileSystemModel", "Size"): "Cỡ",
    ("QFileSystemModel", "Type"): "Loại",
    ("QFileSystemModel", "Date Modified"): "Ngày sửa",
    ("QFileSystemModel", "Computer"): "Máy tính",
    ("QAbstractFileIconProvider", "Folder"): "Thư mục",
    ("QAbstractFileIconProvider", "Drive"): "Ổ đĩa",
    ("QAbstractFileIconProvider", "File"): "Tệp",
    ("QLineEdit", "&Undo"): "&Hoàn tác",
    ("QLineEdit", "&Redo"): "&Làm lại",
    ("QLineEdit", "Cu&t"): "Cắ&t",
    ("QLineEdit", "&Copy"): "&Chép",
    ("QLineEdit", "&Paste"): "&Dán",
    ("QLineEdit", "Delete"): "Xóa",
    ("QLineEdit", "Select All"): "Chọn tất cả",
    ("QWidgetTextControl", "&Undo"): "&Hoàn tác",
    ("QWidgetTextControl", "&Redo"): "&Làm lại",
    ("QWidgetTextControl", "Cu&t"): "Cắ&t",
    ("QWidgetTextControl", "&Copy"): "&Chép",
    ("QWidgetTextControl", "&Paste"): "&Dán",
    ("QWidgetTextControl", "Delete"): "Xóa",
    ("QWidgetTextControl", "Select All"): "Chọn tất cả",
}


class VietnameseQt(QTranslator):
    """Answers Qt's own strings from ``QT_VI``; anything else stays as Qt wrote it."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: Any = None, n: int = -1
    ) -> str:
        return QT_VI.get((context, source)) or QT_VI.get(("", source)) or ""

    def isEmpty(self) -> bool:  # noqa: N802 — Qt's name
        return False


_installed: list[VietnameseQt] = []


def install(lang: str) -> None:
    """Qt's dialogs follow the app's language (call again after switching)."""
    app = QCoreApplication.instance()
    if app is None:
        return
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang == "vi":
        t = VietnameseQt()
        app.installTranslator(t)
        _installed.append(t)

"""The PySide6 application: one window per role, workers, i18n."""

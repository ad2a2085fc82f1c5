"""Minutes and other exports: DOCX, PDF, PAdES signing and verification (Qt-free)."""

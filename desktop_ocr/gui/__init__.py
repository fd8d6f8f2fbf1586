"""The PySide6 window. Qt only: every bit of OCR work is delegated to desktop_ocr.core/backends/formats."""

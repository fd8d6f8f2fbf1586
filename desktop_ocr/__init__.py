"""desktop_ocr: offline OCR of Simplified Chinese and English with cloud-compatible JSON exports."""

__version__ = "0.1.0"

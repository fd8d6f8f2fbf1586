"""One module per way of receiving a global shortcut (desktop_ocr.hotkey)."""

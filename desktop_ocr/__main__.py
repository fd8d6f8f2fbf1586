"""``python -m desktop_ocr``: the same as the ``desktop-ocr`` command."""

from .cli import main

raise SystemExit(main())

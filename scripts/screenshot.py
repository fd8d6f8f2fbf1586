"""Developer tool: save a screenshot of the window after it recognised an image (docs/screenshot.png,
shown in the README). Not part of the app.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshot.py docs/screenshot.png [IMAGE]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo, when not installed

from PySide6.QtCore import QSettings, QTimer

from desktop_ocr.gui.app import make_app
from desktop_ocr.gui.resources import sample_image


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else "screenshot.png"
    image = argv[1] if len(argv) > 1 else str(sample_image())
    app = make_app()
    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    tmp = tempfile.TemporaryDirectory()
    window = MainWindow(Settings(QSettings(f"{tmp.name}/s.ini", QSettings.Format.IniFormat)))
    window.resize(1500, 900)
    window.show()
    window.host.ready.connect(lambda _name: window.open_paths([image]))  # time shown = recognition only
    window.start_engine()

    def shown(_job_id: int) -> None:
        # pick one line so the screenshot shows the box <-> row link
        window.results.select_rows([8])
        window.canvas.select_lines([8], ensure_visible=False)
        QTimer.singleShot(400, grab)

    def grab() -> None:
        window.grab().save(out)
        print("saved", out)
        window.close()

    window.result_shown.connect(shown)
    QTimer.singleShot(120_000, window.close)
    app.exec()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

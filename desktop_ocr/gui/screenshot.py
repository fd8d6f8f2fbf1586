"""Save a screenshot of the window after it recognised an image (for the README).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m desktop_ocr.gui.screenshot docs/screenshot.png
"""

from __future__ import annotations

import sys
import tempfile

from PySide6.QtCore import QSettings, QTimer

from .app import make_app
from .resources import sample_image


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else "screenshot.png"
    image = argv[1] if len(argv) > 1 else str(sample_image())
    app = make_app()
    from .main_window import MainWindow
    from .settings import Settings

    tmp = tempfile.TemporaryDirectory()
    window = MainWindow(Settings(QSettings(f"{tmp.name}/s.ini", QSettings.Format.IniFormat)))
    try:  # the cloud settings/compare actions, as the real app shows them
        from .cloud_settings import install as install_cloud

        install_cloud(window)
    except ImportError:
        pass
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

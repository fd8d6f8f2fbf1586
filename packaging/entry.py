"""Entry script of the frozen application: the same `desktop-ocr` command as the console script.

PyInstaller freezes this file; everything else is imported from the `desktop_ocr` package.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # A frozen app re-executes itself for multiprocessing children; let them run their task.
    multiprocessing.freeze_support()
    from desktop_ocr.cli import main

    sys.exit(main())

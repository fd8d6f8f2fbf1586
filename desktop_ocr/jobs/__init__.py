"""Batches of sources and documents: planned (plan), run page by page (run), recorded for --resume
(journal). Knows core and formats; the command line (and the window's folder batch) drive it."""

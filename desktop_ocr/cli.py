"""The command line: the window by default, headless ``recognize`` beside it.

    desktop-ocr [PATH...]            open the window (with PATHs queued)
    desktop-ocr --self-test          open the window, recognise the bundled sample, close (smoke test)
    desktop-ocr --tray [PATH...]     start hidden in the tray (the window is resident: see README)
    desktop-ocr recognize SOURCE...  recognise files, folders, URLs or '-' (stdin) without a window
    desktop-ocr serve                the cloud vendors' OCR APIs over http, answered by the local engine
    desktop-ocr capture              capture a region of the screen and recognise it (see capture --help)

stdout carries only results; progress, failures and the summary go to stderr, one line per failure,
never a traceback (set DESKTOP_OCR_DEBUG=1 to see one for an unexpected error).

``recognize --out DIR`` never replaces a file that already exists in DIR unless ``--overwrite`` is
given: that source fails with a message (nothing is recognised for it) and the others go on; the
file is claimed atomically, so two runs into one DIR cannot overwrite each other's results either.
Within one run, same names get -2, -3... (core.naming). Files are written whole or not at all, with
the mode a plain open() gives (the umask applies; a replaced file keeps its mode).

Exit status:
    0    every source recognised (and written)
    1    some source failed (the others are still written)
    2    usage error
    3    the results cannot be written (--out not writable, disk full, stdout full or closed):
         nothing further was recognised
    130  interrupted (Ctrl+C); the files written so far are complete
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .core.errors import ImageTooLarge, OcrError, UnsupportedSource, WriteFailed, user_message
from .core.naming import printable
from .core.recognizer import CLOUD_MIN_SCORE, LOCAL_MIN_SCORE, RecognizeOptions, Recognizer
from .formats.text import JOIN_MODES as TEXT_MODES

PROG = "desktop-ocr"
COMMANDS = ("recognize", "serve")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
STDIN_MAX_BYTES = 500 * 1024 * 1024
EXIT_STATUS_HELP = ("exit status: 0 all recognised, 1 some source failed (the others are still written), "
                    "2 usage error, 3 the results cannot be written (--out not writable, disk full, stdout "
                    "full or closed; nothing further is recognised), 130 interrupted")


# -- parsers ------------------------------------------------------------------------------------

def build_window_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Offline OCR of Simplified Chinese and English with cloud-OCR-compatible JSON exports. "
                    "Without a command it opens the window.",
        epilog=f"commands:\n  recognize SOURCE...   recognise without a window; see '{PROG} recognize --help'"
               f"\n  serve                 the vendors' OCR APIs over http; see '{PROG} serve --help'"
               f"\n  capture               recognise a region of the screen; see '{PROG} capture --help'",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="images, PDFs or folders to open in the window")
    p.add_argument("--self-test", action="store_true",
                   help="open the window, recognise the bundled sample, close; exit 0 when all worked")
    p.add_argument("--tray", action="store_true",
                   help="start hidden in the tray (as at login); shown as usual where there is no tray. "
                        "When a window already runs, its PATHs go to that window and this launch exits")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return p


def _int_from(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"must be {low} or more, got {value}")
    return value


def _count(text: str) -> int:
    return _int_from(text, 0)


def _positive_int(text: str) -> int:
    return _int_from(text, 1)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def add_backend_arguments(parser: argparse.ArgumentParser) -> None:
    """Which recogniser runs: --backend local|aws|tencent|tencent-legacy|huawei and its connection
    options (--endpoint/--region/...), defined by desktop_ocr.backends.cli_options."""
    from .backends.cli_options import add_arguments

    add_arguments(parser)


def build_recognizer(args: argparse.Namespace) -> Recognizer:
    from .backends.cli_options import recognizer_from_args

    return recognizer_from_args(args)


def build_recognize_parser() -> argparse.ArgumentParser:
    from . import formats

    p = argparse.ArgumentParser(
        prog=f"{PROG} recognize",
        description="Recognise images without a window. One source prints its result on stdout; several "
                    "sources (or --out) write one file per image into DIR.",
        epilog=EXIT_STATUS_HELP)
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="image or PDF file, folder (searched recursively), http(s) URL, or '-' for stdin")
    p.add_argument("-f", "--format", choices=(*formats.names(), "pdf"), default="json",
                   help="output: our own json (default; a PDF or multi-page TIFF gives one document with every "
                        "page), a cloud vendor's exact JSON (one file per page), plain text (pages separated by a "
                        "form feed), or pdf: a searchable PDF (the original pages or image, an invisible text "
                        "layer over them; needs --out)")
    p.add_argument("-o", "--out", metavar="DIR", type=Path,
                   help="write one file per image into DIR (created if needed); a file that already exists "
                        "there is never replaced (that source fails, the others go on) unless --overwrite")
    p.add_argument("--overwrite", action="store_true",
                   help="with --out: replace results that already exist in DIR (read-only ones too; "
                        "a replaced file keeps its mode)")
    p.add_argument("--pages", type=_pages, default="all", metavar="SPEC",
                   help="pages of each PDF or multi-page TIFF to read: all (default), N, or ranges such as 1-5,9 "
                        "or 3- (to the end); pages past a document's end are left out")
    p.add_argument("--pdf-page", type=_positive_int, default=None, metavar="N",
                   help="read only page N of each PDF or TIFF, as one image (a result, not a document)")
    p.add_argument("--redo-text", action="store_true",
                   help="recognise PDF pages that already carry text too (by default their own text is taken "
                        "as it is, and a searchable PDF keeps them unchanged)")
    p.add_argument("--resume", action="store_true",
                   help="with --out: go on with the batch an earlier run left in DIR (stopped, killed, crashed): "
                        "sources it finished are skipped and finished pages are not read again")
    p.add_argument("--text-mode", choices=TEXT_MODES, default="lines",
                   help="with --format text: lines as they are (default), joined into paragraphs, one line, or "
                        "layout: table rows kept on one line with their columns aligned, vertical columns "
                        "read right to left")
    add_recognition_arguments(p)
    p.add_argument("--timeout", type=_positive_float, default=30.0, metavar="SECONDS",
                   help="limit for each URL download (default 30)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines, only failures and the summary")
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="with --out: recognise N images at once, each on its own single-threaded local engine "
                        "with its own models (N times the memory); default 1: one engine spread over the cores. "
                        "Either way the next image is decoded while one is recognised. Local backend only "
                        "(refused for a cloud backend, which takes one image at a time); "
                        "benchmarks/bench_batch.py measures both. With --cluster: N Ray workers (default: "
                        "one per CPU of the cluster)")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="with --out, local engine: recognise the pages on a Ray cluster, ray://HOST:PORT (its "
                        "head's Ray Client port, 10001 by default) or auto (the Ray running on this machine, else "
                        "one started here); every node must see the files at the same paths (URLs and stdin "
                        "are read here and sent). Outputs and --resume are those of a batch on this machine. "
                        "Needs the cluster extra: pip install 'desktop-ocr[cluster]' on every node")
    add_backend_arguments(p)
    return p


def _pages(text: str):
    from .core.document import parse_pages

    try:
        return parse_pages(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_recognition_arguments(p: argparse.ArgumentParser) -> None:
    """What is recognised and how (shared by recognize and capture): --chars, --min-score,
    --no-rotation, --single-line, --no-codes."""
    p.add_argument("--chars", action="store_true", help="include per-character text, score and box")
    p.add_argument("--min-score", type=_score, default=None, metavar="F",
                   help=f"drop lines scored below F, 0..1 (default {LOCAL_MIN_SCORE} with the local engine, "
                        f"{CLOUD_MIN_SCORE} with a cloud service)")
    p.add_argument("--no-rotation", action="store_true",
                   help="do not look for page rotation and skew (faster on upright pages)")
    p.add_argument("--single-line", action="store_true",
                   help="the image is one line of text: recognise it without detection (faster)")
    p.add_argument("--no-codes", action="store_true",
                   help="do not decode QR codes and barcodes (by default each is listed as a line of its own "
                        "after the text, with its format in our JSON's \"code\")")


# -- entry point ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "serve":
            return run_serve(build_serve_parser().parse_args(argv[1:]))
        if argv and argv[0] == "capture":
            return run_capture(build_capture_parser().parse_args(argv[1:]))
        if argv and argv[0] in COMMANDS:
            args = build_recognize_parser().parse_args(argv[1:])
            return run_recognize(args)
        args = build_window_parser().parse_args(argv)
        return run_window(args.paths, self_test=args.self_test, tray=args.tray)
    except SystemExit as exc:  # argparse: --help/--version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug below us: one line, not a traceback
        _err(user_message(exc))
        _debug_traceback(exc)
        return EXIT_FAILED


def run_window(paths: list[str], *, self_test: bool = False, tray: bool = False) -> int:
    """Open the window; when one already runs for this user and settings, hand the PATHs over to it
    (gui.single_instance: it queues them and comes to the front) and exit 0 without loading Qt widgets
    or models."""
    try:
        if not self_test:
            from .gui import single_instance

            if single_instance.hand_over(single_instance.launch_message(list(paths), tray=tray)):
                _err("handed over to the window already running")
                return EXIT_OK
        from .gui import app
    except ModuleNotFoundError as exc:
        if exc.name in ("desktop_ocr.gui", "desktop_ocr.gui.app", "desktop_ocr.gui.single_instance"):
            _err(f"the window is not part of this build yet; use '{PROG} recognize SOURCE...' "
                 f"(see '{PROG} recognize --help')")
        else:
            _err(f"cannot open the window: the module {exc.name!r} is missing ({exc})")
        return EXIT_USAGE
    except ImportError as exc:  # e.g. Qt's system libraries are missing
        _err(f"cannot open the window: {exc}")
        return EXIT_USAGE
    return int(app.run(list(paths), self_test=True) if self_test else app.run(list(paths), tray=tray))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _one_line(text: str) -> str:
    """Text fit for one stderr line: undecodable file-name bytes and control characters (a newline
    in a file name) as \\xNN, so every failure stays one line and always encodes; no secret (a key
    or token a server echoed, a URL's password) ever reaches stderr (credentials.redact)."""
    from .backends.credentials import redact

    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", printable(redact(text)))


def _err(message: str) -> None:
    print(f"{PROG}: {_one_line(message)}", file=sys.stderr, flush=True)


def _debug_traceback(exc: BaseException) -> None:
    if os.environ.get("DESKTOP_OCR_DEBUG"):
        from .backends.credentials import redact

        sys.stderr.write(redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))


# -- recognize ----------------------------------------------------------------------------------

def recognize_options(args: argparse.Namespace) -> RecognizeOptions:
    return RecognizeOptions(chars=args.chars, detect_rotation=not args.no_rotation, min_score=args.min_score,
                            single_line=args.single_line, codes=not args.no_codes)


def run_recognize(args: argparse.Namespace) -> int:
    from .core.sources import expand_sources

    if args.sources.count("-") > 1:
        _err("'-' (stdin) can be given only once")
        return EXIT_USAGE
    entries = expand_sources(args.sources)
    if args.out is None and len(entries) > 1:
        _err(f"{len(entries)} sources (folders expanded): give --out DIR to write one file per image; "
             "stdout takes a single image")
        return EXIT_USAGE
    if args.out is None and (args.format == "pdf" or args.resume):
        _err(f"{'--format pdf writes a file' if args.format == 'pdf' else '--resume goes on with a batch'}: "
             "give --out DIR")
        return EXIT_USAGE
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        _err(f"--out {args.out}: exists and is not a folder")
        return EXIT_USAGE
    backend = getattr(args, "backend", "local") or "local"
    cluster_workers, args.workers = args.workers, args.workers or 1  # None: not given
    if getattr(args, "cluster", None) is not None:
        status = _check_cluster(args, backend)
        if status is not None:
            return status
        args.cluster_workers = cluster_workers
    if args.workers > 1 and backend != "local":
        _err(f"--workers {args.workers}: only the local engine runs several instances; the {backend} backend "
             "recognises one image at a time (leave --workers out)")
        return EXIT_USAGE
    if args.out is not None:  # before any model is loaded: nothing is recognised that cannot be written
        from .core.atomic import check_folder

        try:
            check_folder(args.out)
        except WriteFailed as exc:
            _err(f"--out: {exc.message}; nothing was recognised")
            return EXIT_OUTPUT
    try:
        loadable = sum(isinstance(e, str) for e in entries)
        # with --cluster the cluster's workers load their own engines
        recognizers = ([] if getattr(args, "cluster", None) is not None else
                       build_recognizers(args, loadable) if args.out is not None else [build_recognizer(args)])
    except (ValueError, NotImplementedError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except OcrError as exc:  # e.g. a cloud backend without credentials
        _err(f"cannot start recognition: {exc}")
        return EXIT_FAILED
    if args.out is None:
        doc = _plan_one(entries[0], args)
        if isinstance(doc, int):
            return doc
        if doc.document:
            return _document_to_stdout(doc, recognizers[0], args)
        return _recognize_to_stdout(entries[0], recognizers[0], args, doc=doc)
    return _recognize_batch(entries, recognizers, args)


def _check_cluster(args: argparse.Namespace, backend: str) -> int | None:
    """--cluster refused where it cannot work (the exit status), before anything is read or loaded."""
    from .jobs import cluster as jcluster

    if args.out is None:
        _err("--cluster runs a batch: give --out DIR")
        return EXIT_USAGE
    if backend != "local":
        _err(f"--cluster runs the local engine on the cluster's workers; the {backend} backend is not run there "
             "(leave --cluster out)")
        return EXIT_USAGE
    try:
        args.cluster = jcluster.check_address(args.cluster)
        jcluster.import_ray()
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except OcrError as exc:
        _err(exc.message)
        return EXIT_USAGE
    return None


def _plan_one(entry: str | OcrError, args: argparse.Namespace):
    """The Doc of the one source printed on stdout, or the exit status when it cannot be printed."""
    from .jobs import plan as jplan

    if isinstance(entry, OcrError):
        _err(str(entry))
        return EXIT_FAILED
    try:
        doc = jplan.plan([entry], out_dir=None, fmt=args.format, pages=args.pages, single_page=args.pdf_page,
                         redo_text=args.redo_text, fetch=lambda s: _fetch(s, args))[0]
    except OcrError as exc:
        _err(user_message(exc, with_source=True) if exc.source else f"{_label(entry)}: {exc}")
        return EXIT_FAILED
    if doc.error is not None:
        _err(_failure_text(doc.error, doc.source))
        return EXIT_FAILED
    if doc.document and len(doc.pages) > 1 and args.format not in ("json", "text"):
        _err(f"{doc.label} has {len(doc.pages)} pages to read and the {args.format} format answers one page per "
             "request: give --out DIR (one file per page) or --pages N")
        return EXIT_USAGE
    return doc


def _document_to_stdout(doc, recognizer: Recognizer, args: argparse.Namespace) -> int:
    """Every selected page of one PDF/TIFF, then the document printed (json: our document; text: the
    pages separated by form feeds; a vendor format: its one page). A page that fails is named on
    stderr and left out; none read: exit 1."""
    from . import formats
    from .core.batch import recognize_in_order
    from .core.model import OcrDocument
    from .formats.text import joined
    from .jobs.run import PageJob, text_layer_result

    results = []
    failed = 0
    jobs = [PageJob(doc, p) for p in doc.pages if p not in doc.text_pages]
    with contextlib.redirect_stdout(sys.stderr):
        items = recognize_in_order(jobs, lambda job: _load_page(job.doc, job.page, args), [recognizer],
                                   recognize_options(args))
        with contextlib.closing(items):
            for page in doc.pages:
                try:
                    if page in doc.text_pages:
                        result = text_layer_result(doc, page)
                    else:
                        done = next(items)
                        if isinstance(done.outcome, Exception):
                            raise done.outcome
                        result = done.outcome
                        result.page = page
                except Exception as exc:  # one page: named, the others go on
                    failed += 1
                    _err(f"{doc.label} page {page}/{doc.count}: {_reason_text(exc)}")
                    if not isinstance(exc, OcrError):
                        _debug_traceback(exc)
                    continue
                results.append(result)
    if not results:
        return EXIT_FAILED
    if args.format == "json":
        text = formats.serialize(OcrDocument(source=doc.label, page_count=doc.count, pages=results).to_dict())
    elif args.format == "text":
        text = "\f".join(joined(r, args.text_mode) for r in results)
        text = text + "\n" if text and not text.endswith("\n") else text
    else:
        text = formats.export_text(results[0], args.format)
    try:
        _write_stdout(text)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILED
    except (OSError, ValueError, AttributeError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else "stdout is closed"
        _silence_stdout()
        _err(f"{doc.label}: cannot write the result to stdout: {error}")
        return EXIT_OUTPUT
    return EXIT_FAILED if failed else EXIT_OK


def build_recognizers(args: argparse.Namespace, sources: int) -> list[Recognizer]:
    """The recognisers of a batch of ``sources`` loadable sources: the one the options describe, or
    (``--workers N`` > 1, local backend only) N single-threaded local engines, one core each, but
    never more engines than sources."""
    workers = min(args.workers, sources)
    if workers <= 1:
        return [build_recognizer(args)]
    from .core.engine import LocalEngine

    return [LocalEngine(threads=1, runtime=getattr(args, "runtime", None) or "auto") for _ in range(workers)]


def _load(source: str, args: argparse.Namespace):
    from .core.sources import decode_bytes, load_image

    if source == "-":
        return decode_bytes(_read_stdin(STDIN_MAX_BYTES), "<stdin>", pdf_page=args.pdf_page)
    return load_image(source, pdf_page=args.pdf_page, timeout=args.timeout)


def _read_stdin(cap: int) -> bytes:
    """All of stdin, but never more than ``cap`` bytes (stdin may be /dev/zero or an endless pipe):
    read in chunks, so memory grows with what arrives, and refused as soon as it passes the cap."""
    stream = getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None
    if stream is None:
        raise UnsupportedSource("stdin is closed: there is nothing to read", source="<stdin>", reason="stdin_closed")
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = stream.read(min(1 << 20, cap + 1 - size))
        except OSError as exc:
            error = exc.strerror or str(exc)
            raise UnsupportedSource(f"stdin cannot be read ({error})", source="<stdin>", reason="stdin_unreadable",
                                    params={"error": error}) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            limit = cap // 1048576
            raise ImageTooLarge(f"stdin carries more than {limit} MB", source="<stdin>", reason="stdin_size",
                                params={"limit_mb": limit})


def _recognize_one(source: str, recognizer: Recognizer, args: argparse.Namespace, image=None):
    """Load (unless ``image``, a LoadedImage, is given), recognise and render one source as the text
    of the chosen format."""
    from . import formats

    if image is None:
        image = _load(source, args)
    # Libraries must not print into our result stream: anything on Python's stdout goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        result = recognizer.recognize(image, recognize_options(args))
    mode = getattr(args, "text_mode", "lines")
    if args.format == "text" and mode != "lines":
        from .formats.text import joined

        return result, formats.serialize(joined(result, mode))
    return result, formats.export_text(result, args.format)


def _recognize_to_stdout(entry: str | OcrError, recognizer: Recognizer, args: argparse.Namespace,
                         image=None, on_result=None, doc=None) -> int:
    """Recognise ``entry`` (or the LoadedImage ``image`` named ``entry``) and print it; ``on_result``
    receives the result before it is printed."""
    if isinstance(entry, OcrError):
        _err(str(entry))
        return EXIT_FAILED
    try:
        if image is None and doc is not None:
            image = _load_page(doc, doc.pages[0], args)
        result, text = _recognize_one(entry, recognizer, args, image)
    except OcrError as exc:
        _err(user_message(exc, with_source=True) if exc.source else f"{_label(entry)}: {exc}")
        return EXIT_FAILED
    except Exception as exc:  # a bug below us: name it in one line, fail this run
        _err(f"{_label(entry)}: {user_message(exc, with_source=True)}")
        _debug_traceback(exc)
        return EXIT_FAILED
    if not result.lines:  # still a valid (empty) answer on stdout; say why it is empty
        _err(f"{_label(entry)}: no text found")
    if on_result is not None:
        on_result(result)
    try:
        _write_stdout(text)
    except BrokenPipeError:  # the reader left early (`| head`): not worth a message
        _silence_stdout()
        return EXIT_FAILED
    except (OSError, ValueError, AttributeError) as exc:  # a full device (/dev/full); stdout closed (None, or
        # ValueError: I/O operation on closed file)
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else "stdout is closed"
        failed = WriteFailed(f"cannot write the result to stdout: {error}", fatal=True, reason="stdout",
                             params={"error": error})
        _silence_stdout()
        _err(f"{_label(entry)}: {failed.message}")
        return EXIT_OUTPUT
    return EXIT_OK


def _silence_stdout() -> None:
    """Point stdout's descriptor at the null device, so the interpreter's final flush of what is
    still buffered neither fails again nor prints 'Exception ignored' at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _write_stdout(text: str) -> None:
    # UTF-8 whatever the locale says: results carry Chinese and go to files and pipes.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _label(source: str) -> str:
    if source == "-":
        return "<stdin>"
    if source[:5].lower() == "data:":
        return "<data URI>"
    source = printable(source)
    return source if len(source) <= 200 else source[:60] + "…"


def _recognize_batch(entries: list[str | OcrError], recognizers: list[Recognizer], args: argparse.Namespace) -> int:
    """Every entry into its file(s) in --out (jobs.plan names them, jobs.run writes them); core.batch
    decodes the next page while one is recognised and runs the recognisers (--workers) on different
    pages at once. Progress lines, files and failures come in source order. A source whose file
    already exists fails before it is recognised (unless --overwrite); a write that shows nothing
    more can be written there (disk full, folder no longer writable) stops the batch: exit status 3.
    The resume record (jobs.journal) is kept page by page; --resume skips what it says is done."""
    from .core.batch import recognize_in_order
    from .jobs import plan as jplan
    from .jobs import run as jrun
    from .jobs.journal import Journal, OptionsChanged

    out_dir: Path = args.out
    try:
        journal = Journal.open(out_dir, _batch_options(args), resume=args.resume)
    except OptionsChanged as exc:
        _err(f"--resume: the batch in {out_dir} was started with other options ({exc}); run it without --resume "
             "to start again, or with the same options to go on")
        return EXIT_USAGE
    except WriteFailed as exc:
        _err(f"--out: {exc.message}; nothing was recognised")
        return EXIT_OUTPUT
    t_start = time.perf_counter()
    with contextlib.closing(journal):
        docs = jplan.plan(entries, out_dir=out_dir, fmt=args.format, pages=args.pages, single_page=args.pdf_page,
                          overwrite=args.overwrite, redo_text=args.redo_text, fetch=lambda s: _fetch(s, args),
                          done=journal.recorded.done, started=journal.recorded.started)
        total = len(docs)
        reporter = _BatchReporter(total, progress=not args.quiet)
        # Libraries must not print into our result stream (recognition runs on worker threads, so the
        # whole batch is redirected, not each call): anything on Python's stdout goes to stderr.
        with contextlib.redirect_stdout(sys.stderr):
            t0 = time.perf_counter()
            jobs = jrun.page_jobs(docs, journal)
            cluster = None
            try:
                if getattr(args, "cluster", None) is not None and jobs:  # the workers load the models, not this process
                    from .jobs import cluster as jcluster

                    cluster = jcluster.connect(args.cluster, workers=args.cluster_workers, pages=len(jobs),
                                               runtime=getattr(args, "runtime", None) or "auto")
                for recognizer in recognizers if jobs else ():  # nothing to recognise: no models
                    recognizer.warm_up()
            except OcrError as exc:  # no engine (no cluster), no point going through the list
                _err(exc.message if exc.code == "cluster_failed" else f"cannot start recognition: {exc}")
                return EXIT_FAILED
            with contextlib.closing(cluster) if cluster is not None else contextlib.nullcontext():
                if reporter.progress and jobs:
                    n = cluster.workers if cluster is not None else len(recognizers)
                    engines = f" ({n} worker{'s' if n != 1 else ''})" if n > 1 or cluster is not None else ""
                    pages = len(jobs)
                    page_note = f", {pages} page{'s' if pages != 1 else ''}" if pages != total else ""
                    _err(f"{'cluster' if cluster is not None else 'engine'} ready in {time.perf_counter() - t0:.1f} s"
                         f"{engines}; {total} source{'s' if total != 1 else ''}{page_note}")

                def pages_in_order(page_jobs):
                    if cluster is not None:
                        return cluster.pages_in_order(page_jobs, recognize_options(args), timeout=args.timeout)
                    return recognize_in_order(page_jobs, lambda job: _load_page(job.doc, job.page, args),
                                              recognizers, recognize_options(args))

                try:
                    totals = jrun.run(docs, journal, pages_in_order, reporter, fmt=args.format,
                                      text_mode=args.text_mode, overwrite=args.overwrite)
                except KeyboardInterrupt:
                    _err(f"interrupted after {reporter.finished} of {total}; files written so far are complete and "
                         "the batch record keeps every finished page: run again with --resume to go on")
                    return EXIT_INTERRUPTED
    if not totals.failures and totals.stopped is None:
        journal.finish()
    unit = "page" if any(doc.document for doc in docs) else "image"
    return _batch_summary(totals, out_dir, time.perf_counter() - t_start, unit)


def _batch_options(args: argparse.Namespace) -> dict:
    """What the outputs of a batch depend on: a resumed batch must have the same (jobs.journal)."""
    options = recognize_options(args)
    return {"format": args.format, "pages": str(args.pages), "pdf_page": args.pdf_page, "redo_text": args.redo_text,
            "text_mode": args.text_mode, "backend": getattr(args, "backend", "local") or "local",
            "chars": options.chars, "rotation": options.detect_rotation, "min_score": options.min_score,
            "single_line": options.single_line, "codes": options.codes}


def _fetch(source: str, args: argparse.Namespace) -> bytes | None:
    """The bytes of a source that is not a local file, read once so that its pages can be counted."""
    from .core.download import fetch, is_url

    if source == "-":
        return _read_stdin(STDIN_MAX_BYTES)
    if is_url(source.strip()):
        return fetch(source.strip(), timeout=args.timeout).data
    return None  # data: URIs and base64 text are read by the loader


def _load_page(doc, page: int | None, args: argparse.Namespace):
    from .core.download import is_url
    from .core.sources import decode_bytes, load_image

    if doc.data is not None:
        origin = "url" if is_url(doc.source.strip()) else "data"
        return decode_bytes(doc.data, doc.label, pdf_page=page or 1, origin=origin)
    return load_image(doc.source, pdf_page=page or 1, timeout=args.timeout)


class _BatchReporter:
    """jobs.run's events as progress lines on stderr."""

    def __init__(self, total: int, *, progress: bool):
        self.total = total
        self.progress = progress
        self.finished = 0

    def _head(self, doc) -> str:
        return f"[{doc.index + 1}/{self.total}] {doc.label}"

    def page(self, doc, page, result, seconds) -> None:
        if self.progress and doc.document:
            n = len(result.lines)
            _err(f"{self._head(doc)} page {page}/{doc.count}  {seconds:.1f} s, {n} line{'s' if n != 1 else ''}")
        self._last = (seconds, len(result.lines))

    def reused(self, doc, page, result, how) -> None:
        where = "from the batch record" if how == "record" else "its own text layer"
        n = len(result.lines)
        if self.progress and doc.document:
            _err(f"{self._head(doc)} page {page}/{doc.count}  {where}, {n} line{'s' if n != 1 else ''}")
        self._last = (where, n)

    def page_failed(self, doc, page, error) -> None:
        if self.progress and doc.document:
            _err(f"{self._head(doc)} page {page}/{doc.count} FAILED: {_reason_text(error)}")

    def written(self, doc, outputs, pages) -> None:
        self.finished += 1
        if not self.progress:
            return
        where = outputs[0] if len(outputs) == 1 else f"{len(outputs)} files ({outputs[0].name} ...)"
        if doc.document:
            _err(f"{self._head(doc)} -> {where}  {pages} page{'s' if pages != 1 else ''}")
        else:
            seconds, n = getattr(self, "_last", (0.0, 0))
            took = seconds if isinstance(seconds, str) else f"{seconds:.1f} s"
            _err(f"{self._head(doc)} -> {where}  {took}, {n} line{'s' if n != 1 else ''}")

    def failed(self, doc, error) -> None:
        self.finished += 1
        if self.progress:  # the head already names the source
            _err(f"{self._head(doc)} FAILED: {_reason_text(error)}")
        if not isinstance(error, OcrError):
            _debug_traceback(error)

    def skipped(self, doc) -> None:
        self.finished += 1
        if self.progress:
            _err(f"{self._head(doc)} done in an earlier run: skipped")


def _batch_summary(totals, out_dir: Path, elapsed: float, unit: str) -> int:
    whole = [(doc, exc) for doc, exc in totals.failures if getattr(exc, "reason", None) != "pages_failed"]
    partial = [(doc, exc) for doc, exc in totals.failures if getattr(exc, "reason", None) == "pages_failed"]
    if whole:
        _err(f"{len(whole)} source{'s' if len(whole) != 1 else ''} failed; nothing was written for "
             f"{'them' if len(whole) != 1 else 'it'}:")
        for doc, exc in whole:
            message = _failure_text(exc, doc.source)
            in_the_way = isinstance(exc, WriteFailed) and exc.reason in ("exists", "is_folder")
            stale = [p for p in doc.outputs if p.exists()] if not in_the_way and doc.error is None else []
            note = (f" (an older {stale[0]} from an earlier run was left as it was)" if stale else "")
            print(f"  {_one_line(message + note)}", file=sys.stderr)
    if partial:
        _err(f"{len(partial)} document{'s' if len(partial) != 1 else ''} written without some pages:")
        for doc, exc in partial:
            print(f"  {_one_line(_failure_text(exc, doc.source))}", file=sys.stderr)
    left = ""
    if totals.stopped is not None:
        rest = totals.left
        after = f"the {rest} source{'s' if rest != 1 else ''} after it {'were' if rest != 1 else 'was'} skipped"
        if isinstance(totals.stopped, WriteFailed):
            _err(f"stopped: {totals.stopped.message}; nothing more can be written, so {after}")
        else:  # the recognition itself broke off (a cluster lost): what is written stays, --resume goes on
            _err(f"stopped: {_one_line(_reason_text(totals.stopped))}; {after}; the files written are "
                 "whole: run again with --resume to go on")
        left = f", {rest} skipped"
    earlier = f", {totals.skipped} done in an earlier run" if totals.skipped else ""
    if totals.from_record:
        earlier += f", {totals.from_record} page{'s' if totals.from_record != 1 else ''} from the batch record"
    if totals.from_text_layer:
        n = totals.from_text_layer
        earlier += f", {n} page{'s' if n != 1 else ''} read from {'their' if n != 1 else 'its'} own text layer"
    pages = totals.pages
    per = (f", {totals.seconds / pages:.2f} s per {unit}, {pages * 60 / totals.seconds:.1f} {unit}s/min"
           if pages and totals.seconds > 0 else "")
    _err(f"done: {totals.ok} ok, {totals.failed} failed{left}{earlier}, {elapsed:.1f} s total{per}; "
         f"output in {out_dir}")
    if isinstance(totals.stopped, WriteFailed):
        return EXIT_OUTPUT
    return EXIT_FAILED if totals.failed else EXIT_OK


_OVERWRITE_HINT = " (give --overwrite to replace it)"


def _reason_text(exc: BaseException) -> str:
    """Why one source failed, without its name (a progress line's head names it)."""
    text = exc.message if isinstance(exc, OcrError) else user_message(exc, with_source=True)
    return text + _OVERWRITE_HINT if isinstance(exc, WriteFailed) and exc.reason == "exists" else text


def _failure_text(exc: BaseException, source: str) -> str:
    """Why one source failed, naming it (the closing list)."""
    if isinstance(exc, OcrError) and exc.source:
        return user_message(exc, with_source=True)
    return f"{_label(source)}: {_reason_text(exc)}"


# -- capture ------------------------------------------------------------------------------------

def _rect(text: str):
    from .capture.geometry import parse_rect

    try:
        return parse_rect(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_capture_parser() -> argparse.ArgumentParser:
    from . import formats
    from .capture.clipboard import KEEP_SECONDS
    from .formats.text import JOIN_MODES

    p = argparse.ArgumentParser(
        prog=f"{PROG} capture",
        description="Capture a region of the screen and recognise it: print the result (--format) and, with "
                    "--copy, put the text on the clipboard. Without --rect, drag a rectangle over a frozen "
                    "picture of the screens (Esc cancels). Screens come from Qt's grab on X11, Windows and "
                    "macOS, and from the desktop portal on Wayland.",
        epilog="exit status: 0 recognised, 1 the capture or the recognition failed (or the selection was "
               "cancelled), 2 usage error, 3 the result cannot be written")
    p.add_argument("--rect", type=_rect, metavar="X,Y,W,H",
                   help="the region in logical pixels relative to the top-left corner of screen N (--screen); "
                        "without it the region is selected with the mouse")
    p.add_argument("--screen", type=_count, default=None, metavar="N",
                   help="with --rect: the screen the rectangle is on, 0 = the primary screen (default)")
    p.add_argument("-f", "--format", choices=formats.names(), default="text",
                   help="output: plain text (default), our own json, or a cloud vendor's exact JSON")
    p.add_argument("-o", "--out", metavar="FILE", type=Path,
                   help="write the result to FILE instead of stdout (never replaces a file unless --overwrite)")
    p.add_argument("--save", metavar="FILE.png", type=Path,
                   help="also save the captured image as PNG (never replaces a file unless --overwrite)")
    p.add_argument("--overwrite", action="store_true", help="let --out and --save replace existing files")
    p.add_argument("--copy", action="store_true",
                   help="put the recognised text on the clipboard. On X11/Wayland the clipboard lives in the "
                        "program that copied: wl-copy, xclip or xsel keeps it after this command ends when "
                        "installed; otherwise this command stays running (after printing) until another "
                        f"program copies something or --keep seconds pass (default {KEEP_SECONDS:g})")
    p.add_argument("--join", choices=JOIN_MODES, default="lines",
                   help="with --copy: the lines as they are (default), joined into paragraphs, or one line")
    p.add_argument("--keep", type=_positive_float, default=KEEP_SECONDS, metavar="SECONDS",
                   help="with --copy and no clipboard tool: how long at most the text is kept on the clipboard")
    add_recognition_arguments(p)
    add_backend_arguments(p)
    return p


def run_capture(args: argparse.Namespace) -> int:
    """Grab the screens, cut the region (--rect on --screen, or selected with the mouse), recognise it
    like `recognize` does one image, print it (or write --out), and copy the text (--copy)."""
    from .core.atomic import refusal

    if args.screen is not None and args.rect is None:
        _err("--screen needs --rect (a selection with the mouse spans every screen)")
        return EXIT_USAGE
    for option, path in (("--out", args.out), ("--save", args.save)):
        refused = refusal(path, overwrite=args.overwrite) if path is not None else None
        if refused is not None:  # before anything is captured: nothing is done that cannot be kept
            _err(f"{option}: {refused.message}" + ("" if args.overwrite else _OVERWRITE_HINT))
            return EXIT_OUTPUT
    if args.rect is None and not (args.out or args.save or args.copy):
        from .gui import single_instance

        if single_instance.hand_over({"command": "capture"}):  # the running window captures at once
            _err("handed over to the window already running")
            return EXIT_OK
    try:
        recognizer = build_recognizer(args)
    except (ValueError, NotImplementedError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except OcrError as exc:  # e.g. a cloud backend without credentials
        _err(f"cannot start recognition: {exc}")
        return EXIT_FAILED
    try:
        image = _capture_image(args)
        if image is None:
            _err("the selection was cancelled; nothing was recognised")
            return EXIT_FAILED
        png = _png(image)
        if args.save is not None:
            from .core.atomic import write_atomic

            write_atomic(args.save, png, overwrite=args.overwrite)
        from .core.sources import decode_bytes

        loaded = decode_bytes(png, "screen capture")
    except WriteFailed as exc:
        _err(f"--save: {exc.message}")
        return EXIT_OUTPUT
    except OcrError as exc:
        _err(str(exc))
        return EXIT_FAILED
    if args.out is not None:
        return _capture_to_file(loaded, recognizer, args)
    results: list = []
    status = _recognize_to_stdout("screen capture", recognizer, args, image=loaded, on_result=results.append)
    if status != EXIT_OK or not args.copy:
        return status
    return _copy(results[0], args)


def _capture_image(args: argparse.Namespace):
    """The captured region as a QImage, or None when the selection was cancelled."""
    from . import capture
    from .capture.geometry import Rect, relative_to
    from .core.errors import CaptureFailed

    capture.ensure_app()
    shots = capture.grab()
    if args.rect is not None:
        n = args.screen or 0
        if n >= len(shots):
            raise CaptureFailed(f"there is no screen {n}: screens 0 to {len(shots) - 1} are connected",
                                reason="no_screen", params={"screen": n, "count": len(shots)})
        shot = shots[n]
        rect = relative_to(args.rect, Rect(shot.x, shot.y, shot.width, shot.height))
        return capture.crop(shots, rect.x, rect.y, rect.width, rect.height)
    try:
        from .gui.capture_overlay import select_region
    except ImportError as exc:
        raise CaptureFailed(f"selecting a region with the mouse is not available ({exc}); give --rect X,Y,W,H",
                            reason="no_selection", params={"error": str(exc)}) from None
    region = select_region(shots)
    return None if region is None else capture.crop(shots, *region)


def _png(image) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(buf.data().data())


def _capture_to_file(loaded, recognizer: Recognizer, args: argparse.Namespace) -> int:
    from .core.atomic import write_atomic

    try:
        result, text = _recognize_one("screen capture", recognizer, args, loaded)
    except OcrError as exc:
        _err(f"screen capture: {exc}")
        return EXIT_FAILED
    if not result.lines:
        _err("screen capture: no text found")
    try:
        write_atomic(args.out, text, overwrite=args.overwrite)
    except WriteFailed as exc:
        _err(f"--out: {exc.message}")
        return EXIT_OUTPUT
    return _copy(result, args) if args.copy else EXIT_OK


def _copy(result, args: argparse.Namespace) -> int:
    from .capture import clipboard
    from .formats.text import joined

    text = joined(result, args.join)
    tool = clipboard.clipboard_tool()
    try:
        if tool is not None:
            clipboard.copy_with_tool(tool, text)
            return EXIT_OK
    except OcrError as exc:
        _err(str(exc))
        return EXIT_FAILED
    if clipboard.needs_holding():
        _err(f"the text is on the clipboard until another program copies something or {args.keep:g} s pass "
             "(install xclip, xsel or wl-copy to keep it after this command ends)")
    if not clipboard.hold_qt_clipboard(text, args.keep) and clipboard.needs_holding():
        _err("the clipboard's text was given up after --keep seconds")
    return EXIT_OK


# -- serve --------------------------------------------------------------------------------------

def build_serve_parser() -> argparse.ArgumentParser:
    from .server.config import DEFAULT_HOST, DEFAULT_MAX_BODY_MB, DEFAULT_PORT, DEFAULT_THREADS, DEFAULT_WORKERS

    p = argparse.ArgumentParser(
        prog=f"{PROG} serve",
        description="Serve the cloud vendors' OCR APIs (AWS General OCR, Tencent API 3.0 and legacy, Huawei "
                    "general-text) over http, answered offline by the local engine: point your existing "
                    "clients and SDKs at http://HOST:PORT. Paths, fields, answers and errors are the vendors'; "
                    "GET /openapi.json lists them, /healthz and /metrics watch the server.",
        epilog="without --keys nothing is authenticated, which is allowed on a loopback address only. "
               "See desktop_ocr/server/config.py for the keys file.")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--port", type=_count, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--workers", type=_positive_int, default=DEFAULT_WORKERS, metavar="N",
                   help=f"engine worker processes, each with its own models (default {DEFAULT_WORKERS}: the "
                        "best measured on 2 cores; about one per core)")
    p.add_argument("--threads", type=_count, default=DEFAULT_THREADS, metavar="N",
                   help=f"ONNX Runtime threads per worker (default {DEFAULT_THREADS}; 0: ONNX Runtime's own "
                        "choice, one per core)")
    p.add_argument("--queue", type=_count, default=None, metavar="N",
                   help="requests that may wait for a worker; more are refused at once with the vendor's "
                        "rate-limit error (default 2 x workers)")
    p.add_argument("--keys", metavar="FILE", help="JSON file of the vendors' keys: turns on each vendor's "
                                                  "signature check")
    p.add_argument("--max-body-mb", type=_positive_float, default=DEFAULT_MAX_BODY_MB, metavar="N",
                   help=f"largest request body and URL image, in MB (default {DEFAULT_MAX_BODY_MB:g})")
    p.add_argument("--allow-private-urls", action="store_true",
                   help="fetch URL images from private and loopback addresses even when listening beyond "
                        "loopback")
    return p


def run_serve(args: argparse.Namespace) -> int:
    from .server import SERVE_EXTRA_HINT, routes
    from .server.config import ServerConfig, load_keys

    try:
        keys = load_keys(args.keys, [spec.name for spec, _ in routes()]) if args.keys else None
        config = ServerConfig(host=args.host, port=args.port, workers=args.workers, threads=args.threads or None,
                              queue=args.queue, keys=keys,
                              max_body=int(args.max_body_mb * 1048576), allow_private_urls=args.allow_private_urls)
        config.check()
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    try:
        from .server.run import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("starlette", "uvicorn"):
            raise
        _err(f"serving needs Starlette and uvicorn, which are not installed: {SERVE_EXTRA_HINT}")
        return EXIT_USAGE
    return EXIT_OK if serve(config) else EXIT_FAILED

"""A batch's pages recognised on a Ray cluster (``recognize --out DIR --cluster ADDRESS``).

    cluster = connect("ray://head:10001", workers=4)   # or "auto"
    try:
        for done in cluster.pages_in_order(jobs, options):  # core.batch.BatchItem, in the order of jobs
            ...
    finally:
        cluster.close()

* ``connect`` joins a running cluster: ``ray://HOST:PORT`` through Ray Client (the head's client
  server, port 10001 by default), ``auto`` a Ray already running on this machine (``ray start``, or
  ``RAY_ADDRESS``), and when none runs it starts one in this process (one CPU per worker). It then
  starts ``workers`` actors (one CPU each; default: every CPU of the cluster, at most one per page),
  each loading one single-threaded ``LocalEngine`` and warming it up once, and waits until they are
  ready.
* ``pages_in_order`` sends every page to the actors, at most ``IN_FLIGHT_PER_WORKER`` per actor
  and never more than ``AHEAD_PER_WORKER`` per actor beyond the page the caller waits for, so
  memory stays bounded on a long document; results come back in the order of the jobs, each
  ``BatchItem.item`` the very PageJob it was given. A worker loads its page itself: from the path
  (made absolute here, so every node must see it at the same place) or from the bytes the batch
  already read (stdin, a URL), shipped once per source with ``ray.put``. A page that fails (cannot be
  decoded, ...) has that exception as its outcome; an actor that dies fails its pages with a
  ``ClusterError`` and the others go on on the actors left. Closing the generator cancels what is in
  flight.

Writing outputs and the resume record stays with the caller (jobs.run), so both are those of a
batch on this machine. Ray is an optional extra (``desktop-ocr[cluster]``), imported only here and
only when a cluster is asked for. No Qt, no printing.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import threading
import time
import warnings
from collections.abc import Generator, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..core.batch import BatchItem
from ..core.errors import OcrError
from ..core.model import OcrResult
from ..core.recognizer import RecognizeOptions

INSTALL_HINT = "pip install 'desktop-ocr[cluster]'"
#: pages sent to one actor at once (one recognised, the next waiting in its queue)
IN_FLIGHT_PER_WORKER = 2
#: how far (in pages) sending may run ahead of the page the caller waits for, per actor
AHEAD_PER_WORKER = 4
#: seconds to reach a ray:// address before giving up (a TCP connect, then Ray Client's own tries)
CONNECT_TIMEOUT = 5.0
#: seconds the actors may take to load and warm up their models
STARTUP_TIMEOUT = 300.0
#: seconds Ray Client's connection is tried again while the head is not ready for it
CLIENT_INIT_RETRY_SECONDS = 20.0
#: ... and at least this many times: an attempt whose server process on the head never answers
#: fails only after the head's own 30 s wait for it, and the next attempt gets a new process
CLIENT_INIT_ATTEMPTS = 3
#: most actors started when --workers is not given
MAX_DEFAULT_WORKERS = 64


class ClusterError(OcrError):
    """The cluster cannot be used. Reasons: "no_ray" (Ray is not installed), "bad_address",
    "unreachable", "too_many_workers", "worker_failed" (an actor could not start, or died), "lost"
    (the connection to the cluster broke off during a batch)."""

    code = "cluster_failed"


def check_address(address: str) -> str:
    """``address`` as given if it is one we take (``auto``, ``ray://HOST:PORT``); ValueError otherwise."""
    text = address.strip()
    if text.lower() == "auto":
        return "auto"
    parts = urlsplit(text)
    if parts.scheme.lower() == "ray":
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.hostname and port:
            return text
    raise ValueError(f"--cluster {address}: give ray://HOST:PORT (a cluster's Ray Client address, port 10001 by "
                     "default) or auto (a Ray running on this machine, else one started here)")


def import_ray() -> Any:
    """The ray module; ClusterError "no_ray" when it is not installed."""
    try:
        import ray
    except ImportError as exc:
        raise ClusterError(f"--cluster needs Ray: {INSTALL_HINT}", reason="no_ray") from exc
    return ray


def _client_reachable(address: str) -> None:
    parts = urlsplit(address)
    host, port = parts.hostname or "", parts.port or 0
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        why = exc.strerror or str(exc) or type(exc).__name__
        if isinstance(exc, TimeoutError) or isinstance(exc, socket.timeout):
            why = f"no answer in {CONNECT_TIMEOUT:.0f} s"
        raise ClusterError(f"cannot reach the Ray cluster at {address}: {why}", reason="unreachable",
                           params={"address": address, "error": why}) from None


class _PageWorker:
    """One Ray actor: one single-threaded local engine, loaded and warmed up once."""

    def __init__(self, runtime: str) -> None:
        from ..core.engine import LocalEngine

        self.engine = LocalEngine(threads=1, runtime=runtime)
        self.engine.warm_up()

    def ready(self) -> str:
        return socket.gethostname()

    def recognize(self, path: str | None, shown: str, data: bytes | None, origin: str, page: int | None,
                  options: RecognizeOptions, timeout: float) -> tuple[Any, float, float]:
        """(OcrResult or the exception, load seconds, recognise seconds) of one page."""
        from ..core.sources import decode_bytes, load_image

        t0 = time.perf_counter()
        try:
            if data is not None:
                image = decode_bytes(data, shown, pdf_page=page or 1, origin=origin)
            else:
                assert path is not None
                image = load_image(path, pdf_page=page or 1, timeout=timeout)
                if image.source == path:  # named as the batch names it, not by our absolute path
                    image.source = shown
        except Exception as exc:
            return _portable(exc, path, shown), time.perf_counter() - t0, 0.0
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        try:
            outcome: Any = self.engine.recognize(image, options)
        except Exception as exc:
            outcome = _portable(exc, path, shown)
        return outcome, load, time.perf_counter() - t1


def _portable(exc: Exception, path: str | None, shown: str) -> Exception:
    """The exception as the driver can unpickle it, naming the source as the batch does."""
    if isinstance(exc, OcrError) and path is not None and exc.source == path:
        exc.source = shown
    if isinstance(exc, OSError) and path is not None and exc.filename == path:
        exc.filename = shown
    exc.__traceback__ = None
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class Cluster:
    """A connection to a Ray cluster with ``workers`` actors ready to recognise."""

    def __init__(self, ray: Any, address: str, actors: list, started_here: bool) -> None:
        self._ray = ray
        self.address = address
        self.actors = actors
        self.started_here = started_here  # `auto` found no Ray and started one in this process

    @property
    def workers(self) -> int:
        return len(self.actors)

    def close(self) -> None:
        """Stop the actors and leave the cluster (stopping the Ray this process started, if any)."""
        ray = self._ray
        if not ray.is_initialized():  # the connection was lost: any call now would start a Ray here
            self.actors = []
            return
        for actor in self.actors:
            try:
                ray.kill(actor)
            except Exception:  # already gone, or the connection is
                pass
        self.actors = []
        try:
            ray.shutdown()
        except Exception:
            pass

    def pages_in_order(self, jobs: Sequence[Any], options: RecognizeOptions | None, *,
                       timeout: float = 30.0) -> Generator[BatchItem, None, None]:
        """A BatchItem per job (a jobs.run.PageJob), in the order of ``jobs``; see the module docstring."""
        return _run(self._ray, list(self.actors), list(jobs), options or RecognizeOptions(), timeout)


def _run(ray: Any, actors: list, jobs: list, options: RecognizeOptions,
         timeout: float) -> Generator[BatchItem, None, None]:
    from ray.exceptions import RayActorError, RayError

    alive = list(actors)
    busy: dict[Any, int] = {id(a): 0 for a in alive}  # pages in flight per actor
    pending: dict[Any, tuple[int, Any]] = {}  # ObjectRef -> (job index, actor)
    done: dict[int, BatchItem] = {}
    data_refs: dict[int, Any] = {}  # id(doc) -> the ObjectRef of its bytes, while its pages are sent
    last_page = {id(job.doc): i for i, job in enumerate(jobs)}
    dead: ClusterError | None = None
    next_send = next_out = 0
    options_ref = ray.put(options)

    def send(index: int) -> bool:
        job = jobs[index]
        doc = job.doc
        free = [a for a in alive if busy[id(a)] < IN_FLIGHT_PER_WORKER]
        if not free:
            return False
        actor = min(free, key=lambda a: busy[id(a)])
        if doc.data is not None:
            from ..core.download import is_url

            ref = data_refs.get(id(doc))
            if ref is None:
                ref = data_refs[id(doc)] = ray.put(doc.data)
            call = actor.recognize.remote(None, doc.label, ref, "url" if is_url(doc.source.strip()) else "data",
                                          job.page, options_ref, timeout)
        else:
            call = actor.recognize.remote(os.path.abspath(doc.source), doc.source, None, "", job.page,
                                          options_ref, timeout)
        if last_page[id(doc)] == index:
            data_refs.pop(id(doc), None)  # the calls in flight keep the bytes as long as they need them
        busy[id(actor)] += 1
        pending[call] = (index, actor)
        return True

    lost = False
    try:
        while next_out < len(jobs):
            while (next_send < len(jobs) and next_send - next_out < AHEAD_PER_WORKER * max(1, len(alive))
                   and alive and send(next_send)):
                next_send += 1
            if not alive:  # every actor died: what is left fails with why
                assert dead is not None
                for index in range(next_send, len(jobs)):
                    done[index] = BatchItem(index, jobs[index], dead, 0.0, 0.0)
                next_send = len(jobs)
            if next_out not in done and pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    index, actor = pending.pop(ref)
                    busy[id(actor)] -= 1
                    try:
                        outcome, load_s, rec_s = ray.get(ref)
                        if not isinstance(outcome, (OcrResult, Exception)):
                            raise TypeError(f"a worker answered a {type(outcome).__name__}")
                    except RayActorError as exc:
                        if actor in alive:
                            alive.remove(actor)
                        dead = ClusterError(f"a Ray worker died while recognising this page ({_first_line(exc)})",
                                            reason="worker_failed", params={"error": _first_line(exc)})
                        outcome, load_s, rec_s = dead, 0.0, 0.0
                    except RayError as exc:
                        outcome = ClusterError(f"the Ray cluster failed on this page ({_first_line(exc)})",
                                               reason="worker_failed", params={"error": _first_line(exc)})
                        load_s = rec_s = 0.0
                    done[index] = BatchItem(index, jobs[index], outcome, load_s, rec_s)
            while next_out in done:
                item = done.pop(next_out)
                next_out += 1
                yield item
    except ConnectionError as exc:  # Ray Client gave up reconnecting (the head died, the network went)
        lost = True
        raise ClusterError(f"lost the connection to the Ray cluster ({_first_line(exc)})", reason="lost",
                           params={"error": _first_line(exc)}) from None
    finally:
        for ref in pending if not lost else ():  # nothing to cancel on a lost connection
            try:
                ray.cancel(ref)
            except Exception:
                pass


def _first_line(exc: BaseException) -> str:
    """The gist of a Ray error in one line: its first line, and its last when the first announces more."""
    text = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not text:
        return type(exc).__name__
    return f"{text[0]} {text[-1]}" if text[0].endswith(":") and len(text) > 1 else text[0]


def connect(address: str, *, workers: int | None = None, pages: int | None = None,
            runtime: str = "auto") -> Cluster:
    """Join the cluster at ``address`` (see check_address) and start the actors (see the module
    docstring); ClusterError when Ray is missing, the cluster cannot be reached, or the actors
    cannot start. ``pages``: the pages to recognise, which caps the default number of workers."""
    address = check_address(address)
    os.environ.setdefault("RAY_CLIENT_INITIAL_CONNECTION_TIMEOUT_S", str(int(CONNECT_TIMEOUT)))
    os.environ.setdefault("RAY_CLIENT_MAX_CONNECTION_TIMEOUT_S", "10")
    ray = import_ray()
    _only_errors_from(RAY_CHATTER)
    quiet: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
    started_here = False
    if address != "auto":
        _client_reachable(address)
    try:
        if address != "auto":
            with warnings.catch_warnings():  # Ray warns (with its source line) before it raises: ours says it
                warnings.simplefilter("ignore")
                _client_init(ray, address, quiet)
        else:
            try:
                ray.init(address="auto", **quiet)
            except ConnectionError:  # no Ray runs here: one in this process, a CPU per worker
                os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
                ray.init(num_cpus=workers or os.cpu_count() or 1, include_dashboard=False, **quiet)
                started_here = True
    except Exception as exc:  # ConnectionError, a version mismatch (RuntimeError), ...
        what = ("join or start a Ray on this machine" if address == "auto"
                else f"connect to the Ray cluster at {address}")
        hint = "" if address == "auto" else _token_hint()
        raise ClusterError(f"cannot {what}: {_first_line(exc)}{hint}", reason="unreachable",
                           params={"address": address, "error": _first_line(exc), "token_hint": bool(hint)}) from None
    try:
        return Cluster(ray, address, _start_workers(ray, workers, pages, runtime), started_here)
    except BaseException:
        ray.shutdown()
        raise


def _token_hint() -> str:
    """What to add when a ray:// connection failed with a Ray token on this machine that Ray Client
    was not told to send: a head started where a token is kept (~/.ray/auth_token, which any Ray
    started on the machine leaves) requires it of every client, and a client sends it only with
    RAY_AUTH_MODE=token; without it the connection just times out. The token itself is never
    named or read here, only whether one is there."""
    if os.environ.get("RAY_AUTH_MODE"):
        return ""
    path = os.environ.get("RAY_AUTH_TOKEN_PATH") or os.path.join(os.path.expanduser("~"), ".ray", "auth_token")
    if not (os.environ.get("RAY_AUTH_TOKEN") or os.path.isfile(path)):
        return ""
    return ("; a Ray authentication token is on this machine: if the cluster uses token authentication, "
            "set RAY_AUTH_MODE=token so that Ray sends it")


class _OnlyErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


#: Ray's loggers whose warnings are not ours to print (only their errors are): the Ray Client
#: server's own lines streamed to every client (such as its warning that it runs ray.init off its
#: main thread); the data channel's while it tries to reconnect (a lost connection ends the batch
#: with one message of our own, _run); and, when ``auto`` starts a Ray in this process, the
#: notice that it runs with token authentication (Ray's default for a Ray it starts, told with a
#: timestamp and a link before our first line)
RAY_CHATTER = ("ray.util.client.logsclient", "ray.util.client.dataclient",
               "ray._private.authentication.authentication_token_setup")


def _only_errors_from(names: Sequence[str]) -> None:
    for name in names:
        stream = logging.getLogger(name)
        if not any(isinstance(f, _OnlyErrors) for f in stream.filters):
            stream.addFilter(_OnlyErrors())


def _client_init(ray: Any, address: str, quiet: dict[str, Any]) -> None:
    """ray.init through Ray Client; tried again while the head's client server answers that it
    could not set up this client's server process yet (a head that has just started, or is busy):
    for CLIENT_INIT_RETRY_SECONDS, and at least CLIENT_INIT_ATTEMPTS times (each attempt gets a new
    server process on the head, on another port; one that hung took the whole run down before)."""
    quiet_closed_channel_polls()
    deadline = time.monotonic() + CLIENT_INIT_RETRY_SECONDS
    attempts = 0
    while True:
        attempts += 1
        try:
            ray.init(address=address, **quiet)
            return
        except ConnectionError as exc:
            if "Initialization failure" not in str(exc) or (time.monotonic() > deadline
                                                             and attempts >= CLIENT_INIT_ATTEMPTS):
                raise
            time.sleep(2.0)


def quiet_closed_channel_polls() -> None:
    """Keep gRPC's connectivity-polling thread from printing a traceback when the channel it watches
    is closed under it. When the head is lost, Ray Client closes its channel while gRPC still polls
    it, and that thread dies with "ValueError: Cannot monitor channel state: Channel closed!", which
    Python prints to stderr after the batch's own lines. The loss itself reaches the batch as a
    failed request and ends it with one message (_run); this thread's death says nothing more.
    Every other exception in any thread is handed to the hook that was there before."""
    global _before_quiet
    if threading.excepthook is not _quiet_hook:
        _before_quiet = threading.excepthook
        threading.excepthook = _quiet_hook


_before_quiet: Any = threading.excepthook


def _quiet_hook(args: Any) -> None:
    if not (args.exc_type is ValueError and _in_grpc_poll(args.exc_traceback)):
        _before_quiet(args)


def _in_grpc_poll(tb: Any) -> bool:
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "_poll_connectivity" and code.co_filename.endswith(os.path.join("grpc", "_channel.py")):
            return True
        tb = tb.tb_next
    return False


def _start_workers(ray: Any, workers: int | None, pages: int | None, runtime: str) -> list:
    from ray.exceptions import GetTimeoutError, RayActorError

    cpus = int(ray.cluster_resources().get("CPU", 0))
    if workers is None:
        workers = max(1, min(cpus or 2, MAX_DEFAULT_WORKERS, pages or MAX_DEFAULT_WORKERS))
    elif cpus and workers > cpus:
        raise ClusterError(f"--workers {workers}: the Ray cluster has {cpus} CPU{'s' if cpus != 1 else ''} and each "
                           "worker takes one", reason="too_many_workers", params={"workers": workers, "cpus": cpus})
    remote = ray.remote(num_cpus=1, max_restarts=0, scheduling_strategy="SPREAD")(_PageWorker)
    actors = [remote.remote(runtime) for _ in range(workers)]
    try:
        ray.get([a.ready.remote() for a in actors], timeout=STARTUP_TIMEOUT)
    except (RayActorError, GetTimeoutError) as exc:
        for a in actors:
            ray.kill(a)
        why = (f"not ready in {STARTUP_TIMEOUT:.0f} s" if isinstance(exc, GetTimeoutError)
               else _first_line(exc))
        raise ClusterError(f"the Ray workers could not start their OCR engine: {why}", reason="worker_failed",
                           params={"error": why}) from None
    return actors

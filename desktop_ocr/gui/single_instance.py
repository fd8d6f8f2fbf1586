"""One window per user and settings: a second launch hands its arguments to the running window.

The first window listens on a QLocalServer (a Unix socket in the temporary folder; a named pipe on
Windows) whose name holds the user id and a hash of where the settings live, so two users, or two
test runs with their own HOME/XDG folders, never meet. A second ``desktop-ocr [PATH...]`` (or
``desktop-ocr capture`` without --rect) connects, sends one JSON line and waits for the answer
``{"ok": true}``; it then exits at once, without loading Qt widgets or models.

Messages (one JSON object on one UTF-8 line):
    {"paths": [...]}          queue these paths (absolute, or URLs) and raise the window
    {"command": "capture"}    trigger the window's Capture Region
    {"command": "tray"}       nothing (``desktop-ocr --tray`` when a window already runs)

A socket file left by a crashed window (nothing answers on it) is removed by the next start.
Only QtCore and QtNetwork are used here: the client side runs before any widget exists.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import re

from PySide6.QtCore import QDir, QObject, QSettings, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1000
ANSWER_TIMEOUT_MS = 5000
MAX_MESSAGE_BYTES = 1 << 20  # a million bytes of paths is plenty; more is not a launch of ours
COMMANDS = ("capture", "tray")


def server_name() -> str:
    """The name the first window listens on: per user and per settings location."""
    location = QSettings("desktop_ocr", "desktop_ocr").fileName()
    digest = hashlib.sha256(location.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    user = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    return "desktop_ocr-" + re.sub(r"[^A-Za-z0-9_.-]", "_", user) + "-" + digest


def launch_message(paths: list[str], *, tray: bool = False) -> dict:
    """What a second window launch sends: its paths made absolute (the running window has its own
    working folder); URLs and data URIs as they are."""
    if tray and not paths:
        return {"command": "tray"}
    out = []
    for p in paths:
        text = str(p)
        if "://" in text or text[:5].lower() == "data:" or text == "-":
            out.append(text)
        else:
            out.append(os.path.abspath(text))
    return {"paths": out}


def parse_message(data: bytes) -> dict | None:
    """A received line as a message, or None when it is not one of ours."""
    try:
        message = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(message, dict):
        return None
    if "command" in message:
        return {"command": message["command"]} if message["command"] in COMMANDS else None
    paths = message.get("paths")
    if isinstance(paths, list) and all(isinstance(p, str) for p in paths):
        return {"paths": list(paths)}
    return None


def hand_over(message: dict, *, name: str | None = None) -> bool:
    """Send ``message`` to the running window. True when it acknowledged it (the caller is done);
    False when no window runs here or it did not answer (the caller does the work itself)."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    try:
        # ASCII with escapes: a file name that is not valid UTF-8 (surrogate escapes) goes over unchanged
        socket.write(json.dumps(message).encode("ascii") + b"\n")
        if not socket.waitForBytesWritten(ANSWER_TIMEOUT_MS):
            return False
        answer = b""
        while b"\n" not in answer and len(answer) < 4096:
            if not socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
                break
            answer += bytes(socket.readAll().data())
        try:
            reply = json.loads(answer.split(b"\n", 1)[0].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return False
        return isinstance(reply, dict) and reply.get("ok") is True
    finally:
        socket.abort()


def answers(name: str) -> bool:
    """Whether something accepts connections on ``name`` (a live window, not a stale socket file)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    alive = socket.waitForConnected(CONNECT_TIMEOUT_MS)
    socket.abort()
    return alive


class Listener(QObject):
    """The first window's end: acknowledges each message, then emits it as ``received``."""

    received = Signal(object)  # a dict; object: the str values are passed as they are (no QString)

    def __init__(self, name: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this user only
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Start listening; a stale socket file (its window crashed: nothing answers) is removed
        first. False when another live window already listens (or the name cannot be used).

        Liveness is asked before listening: with an access option Qt binds the socket elsewhere and
        renames it into place, which would silently take the name of a window that still runs."""
        if answers(self.name):
            log.warning("another window already listens on %s: this one takes no hand-overs", self.name)
            return False
        path = self.name if os.path.isabs(self.name) else os.path.join(QDir.tempPath(), self.name)
        if os.name != "nt" and os.path.lexists(path):
            log.info("removing the stale socket %s (nothing answers on it)", self.name)
            QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning("cannot listen for other launches on %s: %s", self.name, self.server.errorString())
        return False

    def full_name(self) -> str:
        return self.server.fullServerName()

    def close(self) -> None:
        self.server.close()

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            buffer = bytearray()
            conn.readyRead.connect(lambda conn=conn, buffer=buffer: self._read(conn, buffer))
            conn.disconnected.connect(conn.deleteLater)
            QTimer.singleShot(ANSWER_TIMEOUT_MS, conn, conn.abort)  # a client that never says anything
            if conn.bytesAvailable():  # it spoke before we listened
                self._read(conn, buffer)

    def _read(self, conn: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(conn.readAll().data())
        if b"\n" not in buffer and len(buffer) <= MAX_MESSAGE_BYTES:
            return
        conn.readyRead.disconnect()
        message = parse_message(bytes(buffer).split(b"\n", 1)[0]) if len(buffer) <= MAX_MESSAGE_BYTES else None
        conn.write(b'{"ok": true}\n' if message is not None else b'{"ok": false}\n')
        conn.flush()
        conn.disconnectFromServer()
        if message is None:
            log.warning("ignored a message from another launch that is not one of ours (%d bytes)", len(buffer))
            return
        QTimer.singleShot(0, self, lambda: self.received.emit(message))  # the answer leaves first


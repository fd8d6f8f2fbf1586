"""Cloud backend settings: one tab per registered vendor, non-secret fields in QSettings, keys in the keyring.

The tabs, their fields and titles come from the vendor registry (desktop_ocr.vendors). Endpoint,
region, project id, APPID... are ordinary settings (QSettings group ``cloud/<backend>``). Keys and key
ids go only through backends.credentials (the OS keyring, or this session's memory when there is no
keyring; the dialog says which). Password fields never show a stored key: leaving one empty keeps
what is stored. Which values win when several places have one is credentials.resolve's precedence
(explicit settings, then the vendor's environment variables, then the keyring); the dialog says
when the environment overrides the stored keys.

Nothing here claims that a service works before it answered: each tab says whether keys are set and
that the connection is not tested, and its *Test connection* button makes the cheapest real call
(backends.check_connection, on a daemon thread so the dialog never waits on the network) with the
values typed in the tab (what is left empty comes from the environment and the keyring, as for a
recognition), then shows the outcome in one sentence (gui.error_text) with the details in its tooltip.
"""

from __future__ import annotations

import logging
import os
import threading

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import backends, vendors
from ..backends.credentials import CredentialStore, default_store, resolve, secrets_source
from . import error_text

log = logging.getLogger(__name__)


def vendor_text(text: str) -> str:
    """A registry label or title in the user's language."""
    return QCoreApplication.translate(vendors.TR_CONTEXT, text)


class CloudSettings:
    """Non-secret settings in QSettings + secrets in the credential store, per backend."""

    def __init__(self, qsettings: QSettings | None = None, store: CredentialStore | None = None):
        self.q = qsettings if qsettings is not None else QSettings("desktop_ocr", "desktop_ocr")
        self._store = store

    @property
    def store(self) -> CredentialStore:
        """The given store, else the process-wide one (built on first use, on the keyring then in effect)."""
        return self._store if self._store is not None else default_store()

    def plain(self, name: str) -> dict[str, str]:
        out = {}
        for f in vendors.get(name).plain_fields:
            value = self.q.value(f"cloud/{name}/{f.key}", "")
            if value:
                out[f.key] = str(value)
        return out

    def save_plain(self, name: str, values: dict[str, str]) -> None:
        for f in vendors.get(name).plain_fields:  # never a key into QSettings, whatever the caller passed
            value = (values.get(f.key) or "").strip()
            if value:
                self.q.setValue(f"cloud/{name}/{f.key}", value)
            else:
                self.q.remove(f"cloud/{name}/{f.key}")
        self.q.sync()

    def settings_for(self, name: str) -> dict:
        """Keyword arguments for backends.create(name, ...), by credentials.resolve's precedence."""
        if name not in vendors.names():
            return {}
        return resolve(name, self.plain(name), store=self.store)

    def configured(self, name: str) -> bool:
        """True when ``name`` has an endpoint saved or keys from anywhere."""
        return bool(self.plain(name).get("endpoint") or secrets_source(name, store=self.store))


class _CheckSignals(QObject):
    """A connection test's thread -> the dialog (queued onto the GUI thread)."""

    done = Signal(str, object, bool)  # backend, backends.check.ConnectionCheck, tested the saved settings


class CloudSettingsDialog(QDialog):
    """One tab per cloud backend. ``saved`` carries the backends whose settings changed;
    ``connection_tested`` (backend, ok, saved) follows each Test connection (``saved``: it tested
    the settings as stored, nothing typed over them)."""

    saved = Signal(list)
    connection_tested = Signal(str, bool, bool)

    def __init__(self, cloud: CloudSettings, parent: QWidget | None = None, current: str | None = None):
        super().__init__(parent)
        self.cloud = cloud
        self.setWindowTitle(self.tr("Cloud OCR Settings"))
        self.setMinimumWidth(620)
        self.tabs = QTabWidget(self)
        self.inputs: dict[str, dict[str, QLineEdit | QComboBox]] = {}
        self.forget_buttons: dict[str, QPushButton] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        self.test_results: dict[str, QLabel] = {}
        self._checks: set[str] = set()  # backends whose connection test is running
        self._check_signals = _CheckSignals(self)
        self._check_signals.done.connect(self._on_tested)
        for spec in vendors.specs():
            name, fields = spec.name, spec.fields
            page = QWidget(self)
            form = QFormLayout(page)
            stored = cloud.store.load(name)
            plain = cloud.plain(name)
            widgets: dict[str, QLineEdit | QComboBox] = {}
            w: QLineEdit | QComboBox
            for f in fields:
                if f.choices:
                    w = QComboBox(page)
                    w.addItems(list(f.choices))
                    if plain.get(f.key) in f.choices:
                        w.setCurrentText(plain[f.key])
                else:
                    w = QLineEdit(page)
                    if f.secret:
                        w.setEchoMode(QLineEdit.EchoMode.Password)
                        w.setPlaceholderText(self.tr("stored — leave empty to keep") if f.key in stored
                                             else self.tr("not set"))
                    else:
                        w.setText(plain.get(f.key, ""))
                        w.setPlaceholderText(vendor_text(f.placeholder))
                w.setObjectName(f"{name}:{f.key}")
                form.addRow(vendor_text(f.label), w)
                widgets[f.key] = w
            if secrets_source(name, store=cloud.store) == "environment":
                env = ", ".join(f.env for f in fields if f.secret and f.env and os.environ.get(f.env))
                note = QLabel(self.tr("The environment variables %1 are set: their keys are used, "
                                      "not the stored ones.").replace("%1", env), page)
                note.setWordWrap(True)
                note.setObjectName(f"{name}:env-note")
                form.addRow(note)
            forget = QPushButton(self.tr("Forget stored keys"), page)
            forget.clicked.connect(lambda _=False, n=name: self._forget(n))
            test = QPushButton(self.tr("Test connection"), page)
            test.setObjectName(f"{name}:test")
            test.setToolTip(self.tr("Send one tiny image with the values in this tab (empty keys: the stored "
                                    "ones) and say whether the service answers"))
            test.clicked.connect(lambda _=False, n=name: self.test_connection(n))
            row = QHBoxLayout()
            row.addWidget(forget)
            row.addWidget(test)
            row.addStretch(1)
            form.addRow("", row)
            result = QLabel(page)
            result.setWordWrap(True)
            result.setTextFormat(Qt.TextFormat.PlainText)
            result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            result.setObjectName(f"{name}:test-result")
            form.addRow(result)
            self.forget_buttons[name] = forget
            self.test_buttons[name] = test
            self.test_results[name] = result
            self._show_untested(name)
            self.inputs[name] = widgets
            self.tabs.addTab(page, vendor_text(spec.title))
            if name == current:
                self.tabs.setCurrentWidget(page)
        self.status = QLabel(self.store_status(cloud.store), self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._changed: set[str] = set()

    def store_status(self, store: CredentialStore) -> str:
        """Where the keys live, in the user's language (the store says which, not in what words)."""
        if store.persistent:
            return self.tr("Keys are kept in the system keyring (%1).").replace("%1", store.backend_name)
        return self.tr("No system keyring is available (no Secret Service / Keychain / Credential Manager "
                       "found): keys are kept in memory for this session only and must be entered again "
                       "next time.")

    def _forget(self, name: str) -> None:
        self.cloud.store.clear(name)
        for f in vendors.get(name).fields:
            if f.secret:
                w = self.inputs[name][f.key]
                w.clear()
                w.setPlaceholderText(self.tr("not set"))
        self._changed.add(name)
        if name not in self._checks:
            self._show_untested(name)

    # Test connection ---------------------------------------------------------------------------
    def _show_untested(self, name: str) -> None:
        """What is known without a call: whether keys are set, never that the service works."""
        label = self.test_results[name]
        label.setStyleSheet("")
        label.setToolTip("")
        if secrets_source(name, store=self.cloud.store):
            label.setText(self.tr("Keys are set; the connection has not been tested."))
        else:
            label.setText(self.tr("No keys are stored; the connection has not been tested."))

    def test_connection(self, name: str) -> None:
        """One real call to ``name`` with the tab's values, off the GUI thread; the outcome appears
        under the button (and ``connection_tested`` fires)."""
        if name in self._checks:
            return
        plain, secrets = self.values(name)
        stored = self.cloud.plain(name)
        defaults = {f.key: f.default or (f.choices[0] if f.choices else "") or "" for f in vendors.get(name).fields}
        saved = not secrets and all((plain.get(k) or defaults.get(k, "")) == (stored.get(k) or defaults.get(k, ""))
                                    for k in set(plain) | set(stored))
        settings = {**{k: v for k, v in plain.items() if v}, **secrets}
        store, signals = self.cloud.store, self._check_signals
        self._checks.add(name)
        self.test_buttons[name].setEnabled(False)
        label = self.test_results[name]
        label.setStyleSheet("")
        label.setToolTip("")
        label.setText(self.tr("Testing the connection…"))

        def run() -> None:  # on its own daemon thread: a hung service never holds the dialog or the quit
            try:
                check = backends.check_connection(name, settings, store=store)
            except Exception as exc:  # noqa: BLE001 - check_connection words its failures; this is a fault
                log.exception("the connection test of %s failed", name)
                check = exc
            try:
                signals.done.emit(name, check, saved)
            except RuntimeError:  # the dialog is gone (its signals with it): nobody waits for the answer
                pass

        threading.Thread(target=run, name=f"test-connection-{name}", daemon=True).start()

    def _on_tested(self, name: str, check: object, saved: bool) -> None:
        self._checks.discard(name)
        if name not in self.test_buttons:
            return
        self.test_buttons[name].setEnabled(True)
        label = self.test_results[name]
        ok = bool(getattr(check, "ok", False))
        if ok:
            label.setText(self.tr("Connected: %1 answered, the settings and keys work.").replace(
                "%1", vendor_text(vendors.get(name).title)))
            label.setToolTip("")
            label.setStyleSheet("color: #1b7f2a")
        else:
            exc = check if isinstance(check, BaseException) else getattr(check, "error", None)
            if exc is None:  # a failed check always carries its error; be safe all the same
                exc = RuntimeError(getattr(check, "message", "") or "the connection test failed")
            label.setText(error_text.fill(self.tr("The connection test failed: %1"),
                                          error_text.summary(exc, vendor=name)))
            label.setToolTip(error_text.details(exc))
            label.setStyleSheet("color: #b00020")
        self.connection_tested.emit(name, ok, saved)

    def values(self, name: str) -> tuple[dict[str, str], dict[str, str]]:
        """(plain, secrets) typed into the tab of ``name``; empty secret fields are left out."""
        plain, secrets = {}, {}
        for f in vendors.get(name).fields:
            w = self.inputs[name][f.key]
            text = w.currentText() if isinstance(w, QComboBox) else w.text().strip()
            if f.secret:
                if text:
                    secrets[f.key] = text
            else:
                plain[f.key] = text
        return plain, secrets

    def accept(self) -> None:
        for name in self.inputs:
            plain, secrets = self.values(name)
            if plain != {k: self.cloud.plain(name).get(k, "") for k in plain} or secrets:
                self._changed.add(name)
            self.cloud.save_plain(name, plain)
            if secrets:
                self.cloud.store.save(name, secrets)
            for f in vendors.get(name).fields:  # the typed keys leave the widgets at once
                if f.secret:
                    self.inputs[name][f.key].clear()
        self.saved.emit(sorted(self._changed))
        super().accept()

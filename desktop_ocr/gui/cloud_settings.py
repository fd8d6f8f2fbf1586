"""Cloud backend settings: one form per vendor, non-secret fields in QSettings, keys in the keyring.

Endpoint, region, project id, APPID... are ordinary settings (QSettings group ``cloud/<backend>``).
Keys and key ids go only through backends.credentials (the OS keyring, or this session's memory
when there is no keyring; the dialog says which). Password fields never show a stored key: leaving
one empty keeps what is stored.

``install(window)`` plugs this into the main window: the recogniser host builds cloud backends from
these settings, and the toolbar gets "Cloud Settings…" and "Compare with Cloud…".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, \
    QTabWidget, QVBoxLayout, QWidget

from ..backends.credentials import SECRET_FIELDS, CredentialStore, default_store, from_env

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    secret: bool = False  # stored in the keyring, shown as a password field
    choices: tuple[str, ...] = ()
    placeholder: str = ""


FORMS: dict[str, tuple[Field, ...]] = {
    "aws": (
        Field("endpoint", "Invoke URL", placeholder="https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}"),
        Field("auth", "Authentication", choices=("iam", "none")),
        Field("region", "Region", placeholder="from the URL (e.g. us-east-1)"),
        Field("access_key_id", "Access key ID", secret=True),
        Field("secret_access_key", "Secret access key", secret=True),
        Field("session_token", "Session token (optional)", secret=True),
    ),
    "tencent": (
        Field("endpoint", "Endpoint", placeholder="ocr.tencentcloudapi.com (or ocr.intl.tencentcloudapi.com)"),
        Field("region", "Region", placeholder="ap-guangzhou"),
        Field("action", "API", choices=("GeneralAccurateOCR", "GeneralBasicOCR")),
        Field("secret_id", "SecretId", secret=True),
        Field("secret_key", "SecretKey", secret=True),
        Field("token", "Session token (optional)", secret=True),
    ),
    "tencent-legacy": (
        Field("endpoint", "Endpoint", placeholder="https://recognition.image.myqcloud.com/ocr/general"),
        Field("appid", "APPID"),
        Field("bucket", "Bucket (optional)"),
        Field("secret_id", "SecretId", secret=True),
        Field("secret_key", "SecretKey", secret=True),
    ),
    "huawei": (
        Field("endpoint", "Endpoint", placeholder="https://ocr.{region}.myhuaweicloud.com"),
        Field("region", "Region", placeholder="cn-north-4"),
        Field("project_id", "Project ID"),
        Field("ak", "Access key (AK)", secret=True),
        Field("sk", "Secret key (SK)", secret=True),
        Field("token", "IAM token (instead of AK/SK)", secret=True),
    ),
}
TITLES = {"aws": "AWS General OCR", "tencent": "Tencent Cloud OCR", "tencent-legacy": "Tencent OCR (legacy)",
          "huawei": "Huawei Cloud OCR"}


class CloudSettings:
    """Non-secret settings in QSettings + secrets in the credential store, per backend."""

    def __init__(self, qsettings: QSettings | None = None, store: CredentialStore | None = None):
        self.q = qsettings if qsettings is not None else QSettings("desktop_ocr", "desktop_ocr")
        self.store = store if store is not None else default_store()

    def plain(self, name: str) -> dict[str, str]:
        out = {}
        for f in FORMS.get(name, ()):
            if f.secret:
                continue
            value = self.q.value(f"cloud/{name}/{f.key}", "")
            if value:
                out[f.key] = str(value)
        return out

    def save_plain(self, name: str, values: dict[str, str]) -> None:
        for f in FORMS.get(name, ()):
            if f.secret:  # never let a key reach QSettings, whatever the caller passed
                continue
            value = (values.get(f.key) or "").strip()
            if value:
                self.q.setValue(f"cloud/{name}/{f.key}", value)
            else:
                self.q.remove(f"cloud/{name}/{f.key}")
        self.q.sync()

    def secrets(self, name: str) -> dict:
        """Stored keys, else the vendor's environment variables (as the command line reads them)."""
        stored = self.store.load(name)
        return stored if stored else {k: v for k, v in from_env(name).items() if k in SECRET_FIELDS.get(name, ())}

    def settings_for(self, name: str) -> dict:
        """Keyword arguments for backends.create(name, ...)."""
        if name == "local":
            return {}
        s: dict = dict(self.plain(name))
        s.update(self.secrets(name))
        if name == "aws" and "auth" not in s:
            s["auth"] = "iam" if s.get("secret_access_key") else "none"
        if name == "huawei" and not s.get("project_id"):
            env = from_env("huawei")
            if env.get("project_id"):
                s["project_id"] = env["project_id"]
        return s


class CloudSettingsDialog(QDialog):
    """One tab per cloud backend. ``saved`` carries the backends whose settings changed."""

    saved = Signal(list)

    def __init__(self, cloud: CloudSettings, parent: QWidget | None = None, current: str | None = None):
        super().__init__(parent)
        self.cloud = cloud
        self.setWindowTitle(self.tr("Cloud OCR Settings"))
        self.setMinimumWidth(620)
        self.tabs = QTabWidget(self)
        self.inputs: dict[str, dict[str, QLineEdit | QComboBox]] = {}
        self.forget_buttons: dict[str, QPushButton] = {}
        for name, fields in FORMS.items():
            page = QWidget(self)
            form = QFormLayout(page)
            stored = cloud.store.load(name)
            plain = cloud.plain(name)
            widgets: dict[str, QLineEdit | QComboBox] = {}
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
                        w.setPlaceholderText(f.placeholder)
                w.setObjectName(f"{name}:{f.key}")
                form.addRow(self.tr(f.label), w)
                widgets[f.key] = w
            forget = QPushButton(self.tr("Forget stored keys"), page)
            forget.clicked.connect(lambda _=False, n=name: self._forget(n))
            form.addRow("", forget)
            self.forget_buttons[name] = forget
            self.inputs[name] = widgets
            self.tabs.addTab(page, TITLES[name])
            if name == current:
                self.tabs.setCurrentWidget(page)
        self.status = QLabel(cloud.store.status, self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._changed: set[str] = set()

    def _forget(self, name: str) -> None:
        self.cloud.store.clear(name)
        for f in FORMS[name]:
            if f.secret:
                w = self.inputs[name][f.key]
                w.clear()
                w.setPlaceholderText(self.tr("not set"))
        self._changed.add(name)

    def values(self, name: str) -> tuple[dict[str, str], dict[str, str]]:
        """(plain, secrets) typed into the tab of ``name``; empty secret fields are left out."""
        plain, secrets = {}, {}
        for f in FORMS[name]:
            w = self.inputs[name][f.key]
            text = w.currentText() if isinstance(w, QComboBox) else w.text().strip()
            if f.secret:
                if text:
                    secrets[f.key] = text
            else:
                plain[f.key] = text
        return plain, secrets

    def accept(self) -> None:
        for name in FORMS:
            plain, secrets = self.values(name)
            if plain != {k: self.cloud.plain(name).get(k, "") for k in plain} or secrets:
                self._changed.add(name)
            self.cloud.save_plain(name, plain)
            if secrets:
                self.cloud.store.save(name, secrets)
            for f in FORMS[name]:  # the typed keys leave the widgets at once
                if f.secret:
                    self.inputs[name][f.key].clear()
        self.saved.emit(sorted(self._changed))
        super().accept()


class _OnLanguageChange(QObject):
    """Calls ``fn`` when the watched widget is told the language changed (our actions' texts)."""

    def __init__(self, fn, parent):
        super().__init__(parent)
        self._fn = fn

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self._fn()
        return False


def install(window) -> CloudSettings:
    """Wire cloud backends into a MainWindow: settings for its recogniser host, two toolbar actions."""
    cloud = CloudSettings(window.settings.q)
    window.cloud_settings = cloud
    window.host.settings_for = cloud.settings_for

    def changed(names: list[str]) -> None:
        for name in names:
            window.host.forget(name)  # rebuilt with the new settings on next use
        if window.host.name in names:
            window.start_engine()

    def open_dialog() -> CloudSettingsDialog:
        current = window.host.name if window.host.name in FORMS else None
        dlg = CloudSettingsDialog(cloud, window, current)
        dlg.saved.connect(changed)
        window.cloud_dialog = dlg
        if getattr(window, "interactive", True):
            dlg.open()
        return dlg

    window.act_cloud_settings = QAction(QCoreApplication.translate("MainWindow", "Cloud Settings…"), window)
    window.act_cloud_settings.triggered.connect(open_dialog)
    window.open_cloud_settings = open_dialog
    from .compare import install_compare

    install_compare(window)
    def retranslate() -> None:
        window.act_cloud_settings.setText(QCoreApplication.translate("MainWindow", "Cloud Settings…"))
        window.act_compare.setText(QCoreApplication.translate("MainWindow", "Compare with Cloud…"))

    window._cloud_language_filter = _OnLanguageChange(retranslate, window)
    window.installEventFilter(window._cloud_language_filter)
    bar = getattr(window, "main_bar", None)
    if bar is not None:
        bar.addAction(window.act_cloud_settings)
        bar.addAction(window.act_compare)
    return cloud

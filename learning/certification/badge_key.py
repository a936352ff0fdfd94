"""The issuer's Ed25519 key for Open Badges 3.0 credentials (VC-JWT), and its public key set.

The key is a PEM file (``OB_KEY_FILE``). ``demo seed`` writes a demo one beside the demo PKCS#12, and
outside production a missing file is generated on first use; production requires a configured key file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from joserfc.jwk import OKPKey

from learning.config import DEMO_OB_KEY

JWKS_PATH = "/.well-known/jwks.json"
_lock = threading.Lock()


class BadgeKeyUnavailable(Exception):  # noqa: N818 - reads better at call sites
    """No issuer key can be used; the message is for the operator (Vietnamese)."""


def write_key(path: Path) -> OKPKey:
    """A new Ed25519 key at ``path`` (private PEM, mode 0600)."""
    key = OKPKey.generate_key("Ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.as_pem(private=True))
    return key


def ensure_key(path: Path) -> bool:
    """Make the key file unless present; True if made."""
    if path.is_file():
        return False
    write_key(path)
    return True


def _read(path: Path) -> OKPKey:
    try:
        key = OKPKey.import_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise BadgeKeyUnavailable(f"Không đọc được khóa Open Badges {path}: {error}") from error
    if key.as_dict(private=False).get("crv") != "Ed25519" or not key.is_private:
        raise BadgeKeyUnavailable(f"Tệp {path} không phải khóa bí mật Ed25519.")
    return key


def issuer_key(app) -> OKPKey:  # noqa: ANN001 - a Flask app
    """The signing key, read once per process (generated first outside production)."""
    cached = app.extensions.get("ob_issuer_key")
    if cached is not None:
        return cached
    with _lock:
        cached = app.extensions.get("ob_issuer_key")
        if cached is not None:
            return cached
        file = app.config.get("OB_KEY_FILE", "")
        if not file:
            raise BadgeKeyUnavailable("OB_KEY_FILE chưa được cấu hình: không ký được chứng nhận Open Badges.")
        path = Path(file)
        if not path.is_file():
            if app.config.get("APP_ENV") == "production":
                raise BadgeKeyUnavailable(f"Không có tệp khóa Open Badges {path}.")
            try:
                write_key(path)
            except FileExistsError:
                pass  # another process made it first
        key = app.extensions["ob_issuer_key"] = _read(path)
        return key


def key_id(app, key: OKPKey) -> str:  # noqa: ANN001 - a Flask app
    """The ``kid``: the URL of the public key set with the key's thumbprint (RFC 7638) as fragment."""
    return f"{app.config['BASE_URL']}{JWKS_PATH}#{key.thumbprint()}"


def public_jwks(app) -> dict:  # noqa: ANN001 - a Flask app
    key = issuer_key(app)
    public = key.as_dict(private=False)
    return {"keys": [public | {"kid": key_id(app, key), "alg": "EdDSA", "use": "sig"}]}


def check_production(config) -> None:  # noqa: ANN001 - the Flask config
    """Production starts only with its own, readable issuer key (never the demo one)."""
    file = config.get("OB_KEY_FILE", "")
    if not file or not Path(file).is_file():
        raise RuntimeError("OB_KEY_FILE must name the issuer's Ed25519 key (PEM) with APP_ENV=production; "
                           "make one with `flask certificates ob-key FILE`.")
    if Path(file).resolve() == DEMO_OB_KEY.resolve():
        raise RuntimeError("OB_KEY_FILE is the demo Open Badges key (made by `demo seed`): configure the "
                           "organisation's own key before running with APP_ENV=production.")
    _read(Path(file))


def setup_demo_key(app) -> str:  # noqa: ANN001 - a Flask app
    """For ``demo seed``: the demo issuer key beside the demo PKCS#12 (never in production)."""
    file = app.config.get("OB_KEY_FILE", "")
    if app.config.get("APP_ENV") == "production" or not file:
        return "Không tạo khóa Open Badges thử nghiệm (production hoặc OB_KEY_FILE để trống)."
    made = ensure_key(Path(file))
    return f"{'Đã tạo' if made else 'Dùng'} khóa Open Badges {file}: chứng nhận số Open Badges 3.0 được ký."

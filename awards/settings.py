"""All configuration, read once from ``ANUGERAH_*`` environment variables.

``Settings.from_env()`` is the only place that reads the environment. The result is a frozen
dataclass passed explicitly to ``create_app`` and the CLI; nothing else consults ``os.environ``.

Variables (default in brackets):

* ``ANUGERAH_ENV`` — ``development`` or ``production`` [development]
* ``ANUGERAH_DATA_DIR`` — directory for the SQLite file, secret key, outbox, uploads [./var]
* ``ANUGERAH_DATABASE_URL`` — ``sqlite:///path`` or ``postgresql://...``
  [sqlite:///<DATA_DIR>/anugerah.sqlite]
* ``ANUGERAH_SECRET_KEY`` — >= 32 characters; required in production; in development a random
  key is generated once and kept in ``<DATA_DIR>/secret_key``
* ``ANUGERAH_BASE_URL`` — public URL used in emails; ``https://`` turns on Secure cookies
  [http://127.0.0.1:8000]
* ``ANUGERAH_SMTP_HOST`` / ``_PORT`` [587] / ``_USER`` / ``_PASSWORD`` / ``_FROM``
  [noreply@anugerah.local] / ``_STARTTLS`` [true] — without a host, mail goes to
  ``<DATA_DIR>/outbox/`` as .eml files
* ``ANUGERAH_DEFAULT_LANGUAGE`` — ``id`` or ``en`` [id]
* ``ANUGERAH_TIME_ZONE`` — time zone used to display timestamps [Asia/Jakarta]
* ``ANUGERAH_DB_POOL_SIZE`` — PostgreSQL connection pool size (maximum) per process [10]
* ``ANUGERAH_DB_POOL_MIN`` — PostgreSQL connections each process opens at startup and keeps [2]
* ``ANUGERAH_SESSION_IDLE_MINUTES`` — a session unused this long ends [120]
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LANGUAGES", "MIN_SECRET_LENGTH", "Settings", "SettingsError"]

MIN_SECRET_LENGTH = 32
LANGUAGES = ("id", "en")
_ENVS = ("development", "production")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A configuration value is missing or invalid; the message names the variable."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    """The application's configuration; build it with :meth:`from_env`."""

    env: str
    data_dir: Path
    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:8000"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "noreply@anugerah.local"
    smtp_starttls: bool = True
    default_language: str = "id"
    time_zone: str = "Asia/Jakarta"
    db_pool_size: int = 10
    db_pool_min: int = 2
    session_idle_minutes: int = 120

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def secure_cookies(self) -> bool:
        """Cookies get the Secure flag when the public URL is HTTPS."""
        return self.base_url.lower().startswith("https://")

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every ``ANUGERAH_*`` variable once; raise :class:`SettingsError` on bad values."""
        env_map = os.environ if environ is None else environ

        def get(name: str, default: str = "") -> str:
            return env_map.get(f"ANUGERAH_{name}", default).strip()

        env = get("ENV", "development").lower()
        if env not in _ENVS:
            raise SettingsError(f"ANUGERAH_ENV must be one of {', '.join(_ENVS)}, got {env!r}")
        data_dir = Path(get("DATA_DIR", "./var")).expanduser()
        database_url = get("DATABASE_URL") or f"sqlite:///{data_dir / 'anugerah.sqlite'}"
        if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise SettingsError(
                "ANUGERAH_DATABASE_URL must start with sqlite:/// or postgresql://, "
                f"got {database_url!r}"
            )
        language = get("DEFAULT_LANGUAGE", "id").lower()
        if language not in LANGUAGES:
            raise SettingsError(f"ANUGERAH_DEFAULT_LANGUAGE must be one of {LANGUAGES}")
        base_url = get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise SettingsError("ANUGERAH_BASE_URL must start with http:// or https://")
        return cls(
            env=env,
            data_dir=data_dir,
            database_url=database_url,
            secret_key=_secret_key(get("SECRET_KEY"), env, data_dir),
            base_url=base_url,
            smtp_host=get("SMTP_HOST"),
            smtp_port=_int("ANUGERAH_SMTP_PORT", get("SMTP_PORT", "587")),
            smtp_user=get("SMTP_USER"),
            smtp_password=env_map.get("ANUGERAH_SMTP_PASSWORD", ""),
            smtp_from=get("SMTP_FROM", "noreply@anugerah.local"),
            smtp_starttls=_bool("ANUGERAH_SMTP_STARTTLS", get("SMTP_STARTTLS", "true")),
            default_language=language,
            time_zone=get("TIME_ZONE", "Asia/Jakarta"),
            db_pool_size=_int("ANUGERAH_DB_POOL_SIZE", get("DB_POOL_SIZE", "10")),
            db_pool_min=_int("ANUGERAH_DB_POOL_MIN", get("DB_POOL_MIN", "2")),
            session_idle_minutes=_positive(
                "ANUGERAH_SESSION_IDLE_MINUTES", get("SESSION_IDLE_MINUTES", "120")
            ),
        )


def _positive(name: str, raw: str) -> int:
    value = _int(name, raw)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {raw!r}")
    return value


def _secret_key(given: str, env: str, data_dir: Path) -> str:
    """Return the configured secret; in development create and keep one in the data dir."""
    if given:
        if len(given) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"ANUGERAH_SECRET_KEY is too weak: use at least {MIN_SECRET_LENGTH} random "
                "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return given
    if env == "production":
        raise SettingsError(
            "ANUGERAH_SECRET_KEY is required when ANUGERAH_ENV=production "
            f"(at least {MIN_SECRET_LENGTH} random characters)"
        )
    key_file = data_dir / "secret_key"
    if key_file.exists():
        key = key_file.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_SECRET_LENGTH:
            return key
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    return key

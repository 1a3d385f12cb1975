"""Settings read from ANUGERAH_* variables."""

from __future__ import annotations

import pytest

from awards.settings import MIN_SECRET_LENGTH, Settings, SettingsError

STRONG = "s" * MIN_SECRET_LENGTH


def test_settings_defaults_for_development(tmp_path):
    """Without variables: development, SQLite in the data dir, Indonesian, a generated secret."""
    settings = Settings.from_env({"ANUGERAH_DATA_DIR": str(tmp_path)})
    assert settings.env == "development"
    assert settings.database_url == f"sqlite:///{tmp_path / 'anugerah.sqlite'}"
    assert settings.default_language == "id"
    assert len(settings.secret_key) >= MIN_SECRET_LENGTH
    assert settings.secure_cookies is False


def test_settings_development_secret_is_kept_in_data_dir(tmp_path):
    """The generated development secret is written once and reused."""
    first = Settings.from_env({"ANUGERAH_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"ANUGERAH_DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").read_text().strip() == first.secret_key


def test_settings_production_refuses_missing_secret(tmp_path):
    """Production without ANUGERAH_SECRET_KEY is refused with a message naming it."""
    with pytest.raises(SettingsError, match="ANUGERAH_SECRET_KEY"):
        Settings.from_env({"ANUGERAH_ENV": "production", "ANUGERAH_DATA_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


def test_settings_production_refuses_weak_secret(tmp_path):
    """A secret shorter than 32 characters is refused."""
    with pytest.raises(SettingsError, match="too weak"):
        Settings.from_env({"ANUGERAH_ENV": "production", "ANUGERAH_SECRET_KEY": "short-secret"})


def test_settings_production_with_strong_secret_and_https(tmp_path):
    """Production accepts a strong secret; an https base URL turns on Secure cookies."""
    settings = Settings.from_env(
        {
            "ANUGERAH_ENV": "production",
            "ANUGERAH_SECRET_KEY": STRONG,
            "ANUGERAH_BASE_URL": "https://anugerah.malangkota.go.id/",
            "ANUGERAH_DATABASE_URL": "postgresql://app@db:5432/anugerah",
            "ANUGERAH_SMTP_HOST": "smtp.example.id",
            "ANUGERAH_SMTP_PORT": "465",
            "ANUGERAH_SMTP_STARTTLS": "false",
        }
    )
    assert settings.is_production
    assert settings.secure_cookies
    assert settings.base_url == "https://anugerah.malangkota.go.id"
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == (
        "smtp.example.id",
        465,
        False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ANUGERAH_ENV", "staging"),
        ("ANUGERAH_DATABASE_URL", "mysql://x"),
        ("ANUGERAH_DEFAULT_LANGUAGE", "fr"),
        ("ANUGERAH_SMTP_PORT", "smtp"),
        ("ANUGERAH_SMTP_STARTTLS", "maybe"),
        ("ANUGERAH_BASE_URL", "anugerah.example"),
    ],
)
def test_settings_invalid_value_names_the_variable(tmp_path, name, value):
    """Each invalid value is refused with an error that names its variable."""
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(
            {"ANUGERAH_DATA_DIR": str(tmp_path), "ANUGERAH_SECRET_KEY": STRONG, name: value}
        )

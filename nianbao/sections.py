"""Every section of nianbao.toml with the keys its package accepts, and the check that runs before any work."""

from __future__ import annotations

from pathlib import Path

from nianbao.config import PATHS_KEYS, Config, load_config
from nianbao.config_values import Keys
from nianbao.errors import ConfigError


def config_sections() -> dict[str, Keys]:
    """Section name → its keys, each declared next to the code that reads it."""
    from alerts.settings import ALERTS_KEYS, SMTP_KEYS
    from checks.subject import CHECKS_KEYS
    from crawler.settings import CRAWL_KEYS
    from db.browse_access import SERVE_KEYS
    from db.ocr_stage import OCR_KEYS
    from scheduler import SCHEDULE_KEYS

    return {"paths": PATHS_KEYS, "crawl": CRAWL_KEYS, "schedule": SCHEDULE_KEYS, "checks": CHECKS_KEYS,
            "alerts": ALERTS_KEYS, "smtp": SMTP_KEYS, "serve": SERVE_KEYS,
            "ocr": OCR_KEYS}


def load_checked_config(path: str | Path | None) -> Config:
    """The configuration with every key known and every value accepted, and what depends on several keys
    (a password over an unencrypted connection, a CA file with no certificate) refused too, before any work."""
    from alerts.settings import AlertSettings
    from checks.subject import CheckSettings
    from scheduler import ScheduleSettings

    config = load_config(path, config_sections())
    try:
        AlertSettings.from_config(config.section("alerts"), config.section("smtp"))
        CheckSettings.from_section(config.section("checks"))
        ScheduleSettings.from_config(config)
    except ConfigError as error:
        raise ConfigError(f"{config.where(*error.key)}: {error}", error.key) from error
    return config

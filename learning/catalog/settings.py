"""Typed course settings, shared by the content files and the course versions."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class QuizSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: int = Field(15, ge=1, le=100, description="questions drawn per attempt")
    pass_mark: int = Field(80, ge=1, le=100, description="percent needed to pass")
    max_attempts: int = Field(3, ge=0, description="0 = unlimited")
    cooldown_minutes: int = Field(15, ge=0)
    time_limit_minutes: int = Field(20, ge=0, description="0 = no limit")
    show_correct_after_fail: bool = False


class CertificateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    validity_months: int = Field(12, ge=1, le=120)


class Audience(BaseModel):
    model_config = ConfigDict(extra="forbid")

    all_staff: bool = True
    positions: list[str] = Field(default_factory=list)


class CourseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    require_all_lessons: bool = True
    quiz: QuizSettings = Field(default_factory=QuizSettings)
    certificate: CertificateSettings = Field(default_factory=CertificateSettings)
    audience: Audience = Field(default_factory=Audience)

"""Typed answers of the JSON API (they make the OpenAPI schema at ``/docs`` useful)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    """Answer of ``GET /api/health``."""

    status: str
    version: str


class Problem(BaseModel):
    """Any 4xx/5xx answer: what is wrong."""

    detail: Any


class DocumentSummary(BaseModel):
    """One stored document in a list."""

    id: int
    original_filename: str
    media_type: str
    size: int
    sha256: str
    language: str | None
    source_url: str | None
    labels: list[str]
    ingested_at: datetime
    ingested_by: str
    parent_id: int | None
    status: str
    needs_ocr: bool
    incidents: int | None = Field(None, description="incident reports of the latest extraction run (null: never extracted)")


class CustodyEntryOut(BaseModel):
    """One entry of the hash-chained custody log."""

    seq: int
    ts: str
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    entry_hash: str


class ExtractionRunOut(BaseModel):
    """One run of the extractor over the document."""

    id: int
    extractor_version: str
    created_at: datetime
    incidents: int


class DocumentDetailOut(DocumentSummary):
    """A document with its children, custody entries and extraction runs."""

    encoding: str | None
    children: list[int]
    custody: list[CustodyEntryOut]
    extraction_runs: list[ExtractionRunOut]
    incident_reports: list[dict[str, Any]] = Field(description="the latest run's incidents (extraction contract shape)")
    original_url: str


class IncidentSummary(BaseModel):
    """One incident in a list (its chosen values)."""

    id: int
    status: str
    active: bool
    place: str | None
    place_ar: str | None
    date_start: str | None
    date_end: str | None
    agents: list[str]
    means: list[str]
    killed: str
    injured: str
    perpetrators: list[str]
    confidence: str
    reports: int
    documents: int
    sources: int


class EvidenceOut(BaseModel):
    """A span of a document's normalised text (``norm_text[start:end]``)."""

    start: int
    end: int
    text: str


class ReportRefOut(BaseModel):
    """A report that gave a value, with the evidence for it."""

    document_id: int
    report_id: int
    source: str
    evidence: list[EvidenceOut] = []


class ValueOut(BaseModel):
    """One value a field took in some reports."""

    value: Any
    text: str
    reports: list[ReportRefOut]


class FieldOut(BaseModel):
    """A field of the incident: every sourced value side by side, the chosen one and why."""

    name: str
    chosen: Any
    chosen_text: str
    why: str
    values: list[ValueOut]


class AttributionOut(BaseModel):
    """Who accused whom (a claim, not a truth), in which report."""

    by: str | None = None
    against: str | None = None
    stance: str | None = None
    document_id: int | None = None
    report_id: int | None = None
    source: str | None = None
    # attribution rows (bayyina.resolve.links): the row, the accused actor, when, a finding, the span
    id: int | None = None
    actor_id: int | None = None
    actor: str | None = None
    date: str | None = None
    finding_id: int | None = None
    span_start: int | None = None
    span_end: int | None = None
    span_text: str | None = None


class FindingOut(BaseModel):
    """An official finding linked to the incident and how it was linked."""

    code: str
    body: str
    symbol: str
    title: str
    date: str
    outcome: str
    party_named: str | None
    link_how: str
    link_reason: str
    link_active: bool


class MemberOut(BaseModel):
    """A report that makes (or made) the incident, with its evidence spans."""

    report_id: int
    document_id: int
    filename: str
    language: str | None
    source: str
    active: bool
    evidence: list[EvidenceOut]


class IncidentDetailOut(IncidentSummary):
    """One incident in full."""

    superseded_by: int | None
    confidence_reason: str
    fields: list[FieldOut]
    attributions: list[AttributionOut]
    findings: list[FindingOut]
    members: list[MemberOut]


class ActorSummary(BaseModel):
    """A person, unit or organisation."""

    id: int
    kind: str
    name_en: str | None
    name_ar: str | None
    aliases: list[str]
    rank: str | None
    nationality: str | None
    status: str


class RelationOut(BaseModel):
    """subject --type--> object, from start to end."""

    id: int
    type: str
    subject_id: int
    subject: str
    object_id: int
    object: str
    start_date: str | None
    end_date: str | None
    source: str


class DesignationOut(BaseModel):
    """One sanctions designation."""

    id: int
    authority: str
    programme: str
    legal_basis: str
    actor_id: int
    actor: str | None
    measures: list[str]
    start_date: str
    expiry_date: str | None
    days_left: int | None
    status: str
    delisted_on: str | None
    reasons_en: str
    reasons_ar: str
    incident_ids: list[int]
    evidence: list[int]
    review_status: str


class ActorDetailOut(ActorSummary):
    """An actor with its relations and designations."""

    notes: str
    relations: list[RelationOut]
    designations: list[DesignationOut]

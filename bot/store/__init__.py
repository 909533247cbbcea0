"""The cited knowledge store: SQLite schema and migrations, the ingest writer, and the bot's async reader."""

from bot.store.models import (
    ActorDocument,
    ActorProfile,
    ActorRecord,
    ActorSummary,
    Citation,
    DocumentInfo,
    DocumentStats,
    EventFact,
    Paragraph,
    QuoteFact,
    RelatedActor,
    RelationGroup,
    RoleFact,
    SearchHit,
    StoreStats,
    TimelinePage,
)
from bot.store.read import Store
from bot.store.report import export_store, store_stats
from bot.store.schema import LATEST_VERSION, StoreError

__all__ = [
    "LATEST_VERSION",
    "ActorDocument",
    "ActorProfile",
    "ActorRecord",
    "ActorSummary",
    "Citation",
    "DocumentInfo",
    "DocumentStats",
    "EventFact",
    "Paragraph",
    "QuoteFact",
    "RelatedActor",
    "RelationGroup",
    "RoleFact",
    "SearchHit",
    "Store",
    "StoreError",
    "StoreStats",
    "TimelinePage",
    "export_store",
    "store_stats",
]

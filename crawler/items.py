"""What spiders yield: raw fetched records, and the fetches that failed for good."""
from dataclasses import dataclass
from datetime import datetime


@dataclass
class RawRecord:
    source: str
    url: str
    fetched_at: datetime
    body: bytes


@dataclass
class FetchFailure:
    url: str
    reason: str


@dataclass
class UnreadablePage:
    """A fetched page that cannot be split into records: kept whole, with the reason, in quarantine."""
    source: str
    url: str
    fetched_at: datetime
    body: bytes
    reason: str

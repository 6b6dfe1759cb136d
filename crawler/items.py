"""What spiders yield: raw fetched records, the fetches that failed for good, and checkpoints."""
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
class Checkpoint:
    """Everything yielded before this is done; `state` is where a resumed crawl starts again."""
    state: dict


@dataclass
class UnreadablePage:
    """A fetched page that cannot be split into records: kept whole, with the reason, in quarantine."""
    source: str
    url: str
    fetched_at: datetime
    body: bytes
    reason: str

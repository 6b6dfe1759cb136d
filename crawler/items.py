"""What spiders yield: raw fetched records, the fetches that failed for good, and checkpoints."""
from dataclasses import dataclass
from datetime import datetime


@dataclass
class RawRecord:
    """A fetched record; `body` is its bytes, or an etl.record.Unreadable when what was fetched cannot
    be read as records (a page of studies that does not split), quarantined whole with the reason."""
    source: str
    url: str
    fetched_at: datetime
    body: object


@dataclass
class FetchFailure:
    url: str
    reason: str


@dataclass
class Checkpoint:
    """Everything yielded before this is done; `state` is where a resumed crawl starts again."""
    state: dict

"""`trials docs` (`make docs`): regenerates docs/data-dictionary.md from a warehouse built on the sample.

The sample is imported in-process into a temporary directory, so the dictionary depends only on the
code and the shipped records, never on what a local data directory happens to hold.
"""
import difflib
import tempfile

from trials.etl.bulk import import_path
from trials.samples import CTGOV_V2_SAMPLE
from trials.warehouse.build import build
from trials.warehouse.dictionary import DICTIONARY, generate


class DictionaryStale(RuntimeError):
    pass


def sample_dictionary():
    with tempfile.TemporaryDirectory(prefix="trials-docs-") as tmp:
        import_path(CTGOV_V2_SAMPLE, tmp)
        build(tmp)
        return generate(tmp)


def stale_lines(text, path):
    """The unified diff from the file at `path` to `text`; empty when they agree."""
    current = path.read_text() if path.exists() else ""
    return list(difflib.unified_diff(current.splitlines(), text.splitlines(), str(path), "generated", lineterm=""))


def write_dictionary(path=None, check=False):
    """Write the dictionary (to docs/ by default) and return its path; with check=True only compare,
    raising DictionaryStale when the file differs."""
    path = path or DICTIONARY
    text = sample_dictionary()
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path
    diff = stale_lines(text, path)
    if diff:
        shown = "\n".join(diff[:40])
        raise DictionaryStale(f"{path} disagrees with the schema; run `make docs`:\n{shown}")
    return path

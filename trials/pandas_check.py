"""pyarrow's first conversion of a Python list imports pandas, where pandas is installed, only to ask
whether the list is a pandas object (apache/arrow#34994): 0.3 s at the start of every `trials`
command, a fifth of an incremental run with nothing changed. The command never hands pyarrow a
pandas object, so its process answers that question once, with pandas refused for that one import.
pyarrow keeps the answer: in that process, its pandas conversions are off; `import pandas` still works.
"""
import importlib.abc
import sys

import pyarrow as pa


class _RefusePandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            raise ImportError("the trials command does not use pandas")
        return None


def skip_pyarrow_pandas_check():
    """Call before anything converts a Python list to Arrow; a no-op where pandas is already imported."""
    if "pandas" in sys.modules:
        return
    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([])
    finally:
        sys.meta_path.remove(refuse)

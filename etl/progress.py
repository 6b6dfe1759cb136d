"""Progress of a long crawl or import: records done / total when known, rate and time left.

On a terminal it is one line on stderr, rewritten in place a few times a second; anywhere else (cron,
a pipe, a log file) it is a plain line every TRIALS_PROGRESS_SECONDS (default 30), and a last line
at the end either way.
"""
import os
import sys
import time


def _duration(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class Progress:
    def __init__(self, label, total=None, stream=None, unit="records"):
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        default = 0.2 if self.tty else 30.0
        self.interval = float(os.environ.get("TRIALS_PROGRESS_SECONDS", default))
        self.started = time.monotonic()
        self._shown_at = self.started if not self.tty else float("-inf")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def advance(self, count=1):
        self.done += count
        now = time.monotonic()
        if now - self._shown_at >= self.interval:
            self._shown_at = now
            self._write(self.line(now))

    def line(self, now=None):
        elapsed = max((now or time.monotonic()) - self.started, 1e-6)
        rate = self.done / elapsed
        if self.total:
            text = f"{self.label}: {self.done:,}/{self.total:,} {self.unit} ({100 * self.done // self.total}%)"
        else:
            text = f"{self.label}: {self.done:,} {self.unit}"
        text += f", {rate:,.1f}/s"
        if self.total and rate and self.done < self.total:
            text += f", ETA {_duration((self.total - self.done) / rate)}"
        else:
            text += f", {_duration(elapsed)} elapsed"
        return text

    def close(self):
        self._write(self.line(), final=True)

    def _write(self, text, final=False):
        if self.tty:
            self.stream.write("\r" + text + "\x1b[K" + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

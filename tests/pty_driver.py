"""Drive a command at a real pseudo-terminal, the way a person at a keyboard would."""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

TIMEOUT = 30.0  # seconds; only guards against a hang, never measures speed


def _controlling_terminal() -> None:
    # A new session whose controlling terminal is the pty: Ctrl-C then sends SIGINT, as in a shell.
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # A shell at a terminal leaves SIGINT to its default; a test run started in the background of a
    # script inherits it ignored, and Python would then keep ignoring Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    def __init__(self, args: list[str], *, cwd: Path, env: dict[str, str], columns: int = 100) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, preexec_fn=_controlling_terminal
        )
        os.close(slave)
        self.master = master
        self.output = ""
        self.position = 0
        self.closed = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the other side is gone
            data = b""
        if not data:
            self.closed = True
            return False
        # A character may come in two reads (readline writes a prompt in pieces): decoded as a stream.
        self.output += self._decoder.decode(data).replace("\r\n", "\n")
        return True

    def settled(self, seconds: float = 0.1) -> bool:
        """Whether nothing more is printed for ``seconds``: a prompt is asked, not a line that ends
        like one on its way out (readline writes a line in pieces, and an Enter sent early would
        answer the next prompt before it is shown)."""
        before = len(self.output)
        self._read(seconds)
        return len(self.output) == before and not self.closed

    def expect(self, text: str) -> str:
        """Everything printed since the last expect, up to and including ``text``."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.output[self.position :]:
            if self.closed or time.monotonic() > deadline:
                raise AssertionError(f"never saw {text!r}; the terminal shows:\n{self.output[self.position :]}")
            self._read(0.1)
        end = self.output.index(text, self.position) + len(text)
        seen, self.position = self.output[self.position : end], end
        return seen

    def send(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def send_raw(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def send_until(self, keys: str, text: str, attempts: int = 20) -> None:
        """Press ``keys`` until ``text`` shows: a signal that lands just before the program starts
        reading its terminal is only noticed at the next one (CPython checks signals after read)."""
        for _ in range(attempts):
            self.send_raw(keys)
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline and not self.closed:
                if text in self.output[self.position :]:
                    return
                self._read(0.05)
            if text in self.output[self.position :]:
                return
        raise AssertionError(f"never saw {text!r} after pressing {keys!r}:\n{self.output[self.position :]}")

    def expect_exit(self, code: int) -> str:
        """The rest of the output once the command has ended with ``code``."""
        deadline = time.monotonic() + TIMEOUT
        while not self.closed and time.monotonic() < deadline:
            self._read(0.1)
        returncode = self.process.wait(timeout=TIMEOUT)
        rest = self.output[self.position :]
        self.position = len(self.output)
        assert returncode == code, f"exit {returncode}, expected {code}; output:\n{rest}"
        return rest


def without_readline(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` for a Python without the readline module (a build without it): the terminal's own
    line editing is all the check-in's prompts have. ``folder`` holds the module that says so."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "readline.py").write_text("raise ImportError('no readline in this Python')\n")
    paths = [str(folder), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}

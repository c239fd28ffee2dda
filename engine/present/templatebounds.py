"""Bounds on a bureau's own 意见书 template (``--template``, docxtpl): size, uncompressed size, render time, output.

A template is untrusted input (OWASP ASVS V12.1.2): a 1.6 MB zip that expands to gigabytes, or a
``{% for i in range(100000) %}{% for j in range(100000) %}`` loop, must not take the machine. Checked:

- the file (``MAX_TEMPLATE_BYTES``) and the sum of its members' uncompressed sizes as the zip declares
  them (``MAX_UNZIPPED_BYTES``: zipfile never inflates a member past its declared size), before anything
  is opened;
- the render: ``RENDER_SECONDS`` of time, checked at every call and every piece of output the template
  makes, and ``MAX_OUTPUT_CHARS`` of text per document part; ``*`` and ``**`` in the template may not
  build a value larger than that either (``"x" * 10**9``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a .docx template with a logo or two is well under 1 MB
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000
RENDER_SECONDS = 5.0  # the shipped example template renders in well under a second
MAX_OUTPUT_CHARS = 20 * 1024 * 1024  # text of one rendered document part


class TemplateBound(Exception):
    """A template past one of the bounds; ``reason`` in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_package(path: Path) -> None:
    """Refuse (TemplateBound) a template file or zip too large, before it is opened by docxtpl."""
    size = path.stat().st_size
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateBound(f"模板文件 {size} 字节，超过上限 {MAX_TEMPLATE_BYTES} 字节")
    with zipfile.ZipFile(path) as package:
        members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise TemplateBound(f"模板含 {len(members)} 个部件，超过上限 {MAX_MEMBERS} 个")
    unzipped = sum(m.file_size for m in members)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TemplateBound(f"模板解压后 {unzipped} 字节，超过上限 {MAX_UNZIPPED_BYTES} 字节（疑似压缩炸弹）")


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with a deadline and a bound on output and on values built by ``*`` and ``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, seconds: float = RENDER_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.template_class = _bounded_template(self)

    def tick(self) -> None:
        """Raise TemplateBound past the deadline."""
        if time.monotonic() > self.deadline:
            raise TemplateBound(f"模板生成文书超过 {self.seconds:g} 秒（如多重循环），已停止")

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # every call a template makes
        self.tick()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateBound("模板中的乘方过大，已停止")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple, bytes)) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT_CHARS:
                    raise TemplateBound(f"模板生成的内容超过上限 {MAX_OUTPUT_CHARS} 个字符，已停止")
        return super().call_binop(context, operator, left, right)


def _bounded_template(env: BoundedEnvironment) -> type:
    base = SandboxedEnvironment.template_class

    class BoundedTemplate(base):  # type: ignore[misc,valid-type]
        def render(self, *args: Any, **kwargs: Any) -> str:
            pieces, size = [], 0
            for piece in self.root_render_func(self.new_context(dict(*args, **kwargs))):
                size += len(piece)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateBound(f"模板生成的内容超过上限 {MAX_OUTPUT_CHARS} 个字符，已停止")
                env.tick()
                pieces.append(piece)
            return "".join(pieces)

    return BoundedTemplate


@contextlib.contextmanager
def alarm(seconds: float = RENDER_SECONDS) -> Iterator[None]:
    """The deadline again as a timer signal (main thread, Unix): a loop that calls nothing and writes nothing
    (``{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}``) is stopped too."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TemplateBound(f"模板生成文书超过 {seconds:g} 秒（如多重循环），已停止")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds + 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""Render printed documents: Jinja2 templates to HTML, WeasyPrint to PDF.

Templates are looked up first in a supervisor-replaceable folder (a setting
handed to ``DocumentRenderer``), then in the built-in ``templates/`` folder,
so a site can restyle one document and keep the rest. Rendering is CPU work
of tens of milliseconds a page: call ``render_pdf_async`` from async code, and
never while holding a database lock.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlparse

import jinja2
from markupsafe import Markup

from backend.printing import barcodes, i18n
from backend.printing.documents import DOCUMENT_TYPES, DocumentKind

BUILTIN_TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_SUFFIX = ".html.j2"

_weasyprint: ModuleType | None = None
_import_lock = threading.Lock()
# WeasyPrint's font stack (Pango, fontconfig) is not documented as thread-safe;
# rendering is CPU-bound under the GIL anyway, so one render at a time costs nothing.
_render_lock = threading.Lock()


class TemplateRenderError(Exception):
    """A document could not be rendered; no partial output was produced."""

    def __init__(self, document: str, reason: str) -> None:
        super().__init__(f"cannot render {document}: {reason}")
        self.document = document
        self.reason = reason

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:  # survives a process pool
        return (type(self), (self.document, self.reason))


def _weasy() -> ModuleType:
    """Import WeasyPrint once, on first use (the import alone takes ~1 s)."""
    global _weasyprint
    if _weasyprint is None:
        with _import_lock:
            if _weasyprint is None:
                import weasyprint

                _weasyprint = weasyprint
    return _weasyprint


def _template_location(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f" ({exc.filename or exc.name}, line {exc.lineno})"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename.endswith(".css"):
            return f" ({Path(frame.filename).name}, line {frame.lineno})"
    return ""


class DocumentRenderer:
    def __init__(self, template_dir: Path | str | None = None) -> None:
        search: list[Path] = []
        if template_dir is not None:
            custom = Path(template_dir)
            if not custom.is_dir():
                raise ValueError(f"document template folder {custom} does not exist")
            search.append(custom.resolve())
        search.append(BUILTIN_TEMPLATE_DIR.resolve())
        self.search_path: tuple[Path, ...] = tuple(search)
        self._font_config: Any = None
        self._stylesheets: dict[str, Any] = {}
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(p) for p in search]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            code128=barcodes.code128_svg,
            code128_or_qr=barcodes.code128_or_qr_svg,
            gs1_128=barcodes.gs1_128_svg,
            qr=barcodes.qr_svg,
        )
        self.env.filters.update(
            date=lambda value, lang="en": i18n.format_date(value, lang),
            weight=lambda grams, lang="en": i18n.format_weight(grams, lang),
            css_string=_css_string,
        )

    # -- HTML -------------------------------------------------------------

    def render_html(self, name: str, context: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return self._render_html(name, [context], lang)

    def _render_html(self, name: str, contexts: Sequence[Any], lang: str) -> str:
        document = str(name)
        if not contexts:
            raise TemplateRenderError(document, "no documents to render")
        expected = DOCUMENT_TYPES.get(DocumentKind(document)) if _is_kind(document) else None
        if expected is not None:
            for context in contexts:
                if not isinstance(context, expected):
                    raise TemplateRenderError(
                        document,
                        f"expects {expected.__name__}, got {type(context).__name__}",
                    )
        lang = i18n.normalize_language(lang)
        try:
            template = self.env.get_template(document + TEMPLATE_SUFFIX)
            return template.render(
                docs=list(contexts),
                lang=lang,
                _=i18n.translator(lang),
                document=document,
            )
        except jinja2.TemplateNotFound as exc:
            raise TemplateRenderError(
                document,
                f"template {exc.name} not found in " + ", ".join(str(p) for p in self.search_path),
            ) from exc
        except Exception as exc:
            raise TemplateRenderError(
                document, f"{type(exc).__name__}: {exc}{_template_location(exc)}"
            ) from exc

    # -- PDF --------------------------------------------------------------

    def render_pdf(self, name: str, context: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
        return self._html_to_pdf(str(name), self._render_html(name, [context], lang))

    def render_many_pdf(
        self, name: str, contexts: Iterable[Any], lang: str = i18n.DEFAULT_LANGUAGE
    ) -> bytes:
        """Render a batch (a wave's labels) as ONE PDF, one document after the other.

        One layout pass, one font subset and one file (one printer job) for
        the whole batch: about a quarter less CPU a label than separate renders.
        """
        return self._html_to_pdf(str(name), self._render_html(name, list(contexts), lang))

    async def render_pdf_async(
        self, name: str, context: Any, lang: str = i18n.DEFAULT_LANGUAGE
    ) -> bytes:
        """``render_pdf`` in a worker thread, so the event loop keeps serving.

        The thread still shares the GIL and the garbage collector with the loop:
        a 100-label batch causes full collections of 60-350 ms (measured by
        bench/labels.py) that pause the loop. A server that renders big batches
        while handhelds scan should use ``RenderPool`` (a separate process).
        """
        return await asyncio.to_thread(self.render_pdf, name, context, lang)

    async def render_many_pdf_async(
        self, name: str, contexts: Iterable[Any], lang: str = i18n.DEFAULT_LANGUAGE
    ) -> bytes:
        return await asyncio.to_thread(self.render_many_pdf, name, list(contexts), lang)

    def _html_to_pdf(self, document: str, html: str) -> bytes:
        weasyprint = _weasy()
        base_url = self.search_path[0].as_uri() + "/"
        try:
            with _render_lock:
                fetcher = _local_fetcher(weasyprint, self.search_path)
                if self._font_config is None:
                    self._font_config = weasyprint.text.fonts.FontConfiguration()
                html, css_texts = _take_style_elements(html)
                stylesheets = [self._stylesheet(css, base_url, fetcher) for css in css_texts]
                pdf = weasyprint.HTML(
                    string=html, base_url=base_url, url_fetcher=fetcher
                ).write_pdf(stylesheets=stylesheets, font_config=self._font_config)
        except Exception as exc:
            raise TemplateRenderError(document, f"PDF layout failed: {exc}") from exc
        except BaseException as exc:  # FatalURLFetchingError derives from BaseException
            if type(exc).__name__ != "FatalURLFetchingError":
                raise
            cause = exc.__cause__ or exc
            raise TemplateRenderError(document, f"{exc}: {cause}") from exc
        if not pdf:
            raise TemplateRenderError(document, "WeasyPrint produced no output")
        return bytes(pdf)

    def _stylesheet(self, css: str, base_url: str, fetcher: Any) -> Any:
        """Parsed stylesheets are cached by their text: parsing and compiling the
        selectors again for every label costs about a third of a label's render."""
        sheet = self._stylesheets.pop(css, None)
        if sheet is None:
            sheet = _weasy().CSS(
                string=css, base_url=base_url, url_fetcher=fetcher, font_config=self._font_config
            )
        self._stylesheets[css] = sheet  # most recently used last
        while len(self._stylesheets) > _STYLESHEET_CACHE_SIZE:
            del self._stylesheets[next(iter(self._stylesheets))]
        return sheet


_STYLE_ELEMENT = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style\s*>", re.S | re.I)
_STYLESHEET_CACHE_SIZE = 32


def _take_style_elements(html: str) -> tuple[str, list[str]]:
    """Move the document's <style> elements out of the HTML, in order, so they
    can be handed to WeasyPrint as (cached) stylesheets."""
    texts = [m.group(1) for m in _STYLE_ELEMENT.finditer(html)]
    return (_STYLE_ELEMENT.sub("", html), texts) if texts else (html, [])


_worker_renderers: dict[str | None, DocumentRenderer] = {}


def _render_in_worker(template_dir: str | None, name: str, contexts: list[Any], lang: str) -> bytes:
    renderer = _worker_renderers.get(template_dir)
    if renderer is None:
        renderer = _worker_renderers[template_dir] = DocumentRenderer(template_dir)
    return renderer.render_many_pdf(name, contexts, lang)


def _warm_worker(template_dir: str | None, nice: int) -> None:
    if nice > 0 and hasattr(os, "nice"):
        # Rendering is batch work: on a busy machine the server's scans go first.
        os.nice(nice)
    renderer = DocumentRenderer(template_dir)
    _worker_renderers[template_dir] = renderer
    _weasy()


class RenderPool:
    """Render PDFs in separate worker processes (spawned, not forked).

    A render then costs the server's process no GIL time and no garbage
    collection pauses: scans keep their latency while a wave's labels render.
    The documents travel to the worker pickled (plain frozen dataclasses).
    The workers run at a lower CPU priority (``nice``, default 10): when the
    machine's cores are busy, a request of the server process goes before the
    next page of a batch.
    """

    def __init__(
        self, template_dir: Path | str | None = None, *, workers: int = 1, nice: int = 10
    ) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if template_dir is not None and not Path(template_dir).is_dir():
            raise ValueError(f"document template folder {template_dir} does not exist")
        self.template_dir = None if template_dir is None else str(template_dir)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm_worker,
            initargs=(self.template_dir, nice),
        )

    async def render_pdf(self, name: str, context: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
        return await self.render_many_pdf(name, [context], lang)

    async def render_many_pdf(
        self, name: str, contexts: Iterable[Any], lang: str = i18n.DEFAULT_LANGUAGE
    ) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, _render_in_worker, self.template_dir, str(name), list(contexts), lang
        )

    def worker_pids(self) -> list[int]:
        """The running worker processes (none before the first render)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(pid for pid, process in processes.items() if process.is_alive())

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def __aenter__(self) -> RenderPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.close)


def _css_string(value: object) -> Markup:
    """A CSS string literal for use inside <style> (where HTML escaping does not apply)."""
    text = "".join(
        ch if ch.isalnum() or ch in " .,:;/()-_·" else f"\\{ord(ch):x} " for ch in str(value)
    )
    return Markup(f'"{text}"')


def _is_kind(name: str) -> bool:
    return name in DocumentKind._value2member_map_


def _local_fetcher(weasyprint: ModuleType, roots: Sequence[Path]) -> Any:
    """A URL fetcher that only reads ``data:`` URLs and files inside the template
    folders, and fails the render (instead of leaving a hole) when one is missing.
    Templates are editable by supervisors; they must not make the server fetch
    arbitrary URLs or files."""

    class LocalFetcher(weasyprint.urls.URLFetcher):  # type: ignore[name-defined,misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"{url} is outside the template folders")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)

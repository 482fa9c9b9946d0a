"""What a signed-in browser can reach: the pages linked from the home page, and the forms on them.

The property tests of `test_no_server_error.py` walk the demo dataset with this, so that every
route gets real ids and every form its real field names without a list kept by hand.
"""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

SKIPPED_PREFIXES = ("/static/", "/logout")


@dataclass
class Field:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """What a browser would send unchanged: each field's value, a select's first option."""
        data = {}
        for item in self.fields:
            if item.kind in ("checkbox", "radio", "file", "submit", "button"):
                continue
            data[item.name] = item.value or (item.options[0] if item.options else "")
        return data


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "hx-get"):
            if attributes.get(name):
                self.links.append(attributes[name])
        if tag == "form":
            self._form = Form(
                page=self.page,
                action=attributes.get("action") or attributes.get("hx-post") or self.page,
                method=(attributes.get("method") or ("post" if "hx-post" in attributes else "get")).lower(),
                enctype=attributes.get("enctype") or "",
            )
            self.forms.append(self._form)
        if self._form is None or not attributes.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(attributes.get("value") or "")
            return
        if tag == "input":
            self._form.fields.append(
                Field(
                    attributes["name"],
                    (attributes.get("type") or "text").lower(),
                    attributes.get("value") or "",
                )
            )
        elif tag == "select":
            self._select = Field(attributes["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(attributes["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


@dataclass
class Site:
    pages: dict[str, str] = field(default_factory=dict)  # endpoint → one path that reaches it
    forms: list[Form] = field(default_factory=list)


def crawl(app, client, start: str = "/", limit: int = 400) -> Site:
    """Follow links breadth first, one page per (endpoint, method); keep each page's forms."""
    adapter = app.url_map.bind("roundtable.test")
    site = Site()
    queue = deque([start])
    seen_forms: set[tuple[str, str, tuple]] = set()
    while queue and len(site.pages) < limit:
        path = queue.popleft()
        endpoint = _endpoint(adapter, path, "GET")
        if endpoint is None or endpoint in site.pages:
            continue
        site.pages[endpoint] = path
        response = client.get(path, headers={"Accept": "text/html"})
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        parser = _PageParser(path)
        parser.feed(response.get_data(as_text=True))
        for link in parser.links:
            target = _local_path(path, link)
            if target and not target.startswith(SKIPPED_PREFIXES):
                queue.append(target)
        for form in parser.forms:
            form.action = _local_path(path, form.action) or path
            key = (form.method, _endpoint(adapter, form.action, form.method.upper()) or form.action,
                   tuple(sorted(f.name for f in form.fields)))  # fmt: skip
            if key not in seen_forms:
                seen_forms.add(key)
                site.forms.append(form)
    return site


def _local_path(page: str, link: str) -> str | None:
    if link.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    parts = urlsplit(urljoin("http://roundtable.test" + page, link))
    if parts.netloc not in ("roundtable.test", ""):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method=method)
    except HTTPException:
        return None
    return endpoint

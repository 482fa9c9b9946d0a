"""The announcements as an Atom feed (RFC 4287), and the private key a feed reader signs in with."""

import xml.etree.ElementTree as ET

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.markup import render_markdown
from coordination.policy import can
from coordination.texts import localize
from coordination.timeutil import utcnow
from coordination.urls import external_url

ATOM = "http://www.w3.org/2005/Atom"
_SALT = "announcements-feed"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def feed_key(user) -> str:
    """The key in a person's feed address; it stops working when they are signed out everywhere."""
    return _serializer().dumps(f"{user.id}:{user.login_stamp}")


def user_for_feed_key(key: str | None):
    """The active user the key belongs to, or None."""
    if not key:
        return None
    try:
        user_id, stamp = _serializer().loads(key).split(":", 1)
    except (BadSignature, ValueError, AttributeError):
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.active or user.login_stamp != stamp:
        return None
    return user


def _text(parent, tag: str, text: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def atom_feed(announcements, language: str, title: str, self_url: str, reader) -> bytes:
    """The feed document: one entry per announcement, every link absolute; an announcement's
    library document is a "related" link for a reader who may see it (and nothing for others)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _text(feed, "title", title)
    _text(feed, "id", external_url("announcements.index"))
    updated = max((item.updated_at for item in announcements), default=utcnow())
    _text(feed, "updated", updated.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": external_url("announcements.index")})
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", current_app.config["SITE_NAME"])
    for item in announcements:
        page = external_url("announcements.detail", announcement_id=item.id)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        entry_title = localize(item.texts.get("title"), language)
        _text(
            entry,
            "title",
            entry_title.text,
            **{"{http://www.w3.org/XML/1998/namespace}lang": entry_title.language},
        )
        _text(entry, "id", page)
        _text(entry, "published", item.published_at.isoformat())
        _text(entry, "updated", item.updated_at.isoformat())
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": page})
        if item.document is not None and can(reader, "document.view", item.document):
            document_page = external_url("library.document", document_id=item.document.id)
            related = {"rel": "related", "href": document_page, "title": item.document.title}
            ET.SubElement(entry, f"{{{ATOM}}}link", related)
        body = localize(item.texts.get("body"), language)
        _text(entry, "content", str(render_markdown(body.text)), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

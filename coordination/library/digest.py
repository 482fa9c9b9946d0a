"""The digest: each follower gets the new documents they may see, once, at their chosen rhythm."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from coordination.auth.models import User
from coordination.extensions import db
from coordination.library import queries
from coordination.library.models import (
    Collection,
    DigestEntry,
    DigestFrequency,
    DigestSetting,
    Document,
    DocumentTag,
    Follow,
)
from coordination.library.rules import links_outside_requests
from coordination.mail.outbox import queue_mail
from coordination.timeutil import utcnow

PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
# A digest run a little early (cron drift) still counts as due.
SLACK = timedelta(hours=1)
MAX_DOCUMENTS = 50


@dataclass
class DigestReport:
    mailed: int = 0
    documents: int = 0


def new_documents_for(user: User, since) -> list[Document]:
    """Published documents `user` may see in what they follow, newer than `since`, never mailed to them."""
    follows = db.session.scalars(select(Follow).where(Follow.user_id == user.id)).all()
    collection_ids = {f.collection_id for f in follows if f.collection_id}
    if collection_ids:
        collection_ids |= set(
            db.session.scalars(select(Collection.id).where(Collection.parent_id.in_(collection_ids)))
        )
    tags = {f.tag for f in follows if f.tag}
    if not collection_ids and not tags:
        return []
    followed = or_(
        Document.collection_id.in_(collection_ids),
        exists().where(DocumentTag.document_id == Document.id, DocumentTag.tag.in_(tags)),
    )
    already = exists().where(DigestEntry.user_id == user.id, DigestEntry.document_id == Document.id)
    query = (
        select(Document)
        .where(queries.visible_to(user), Document.status == "published", followed, ~already)
        .options(joinedload(Document.organization), joinedload(Document.collection))
        .order_by(Document.created_at.desc())
        .limit(MAX_DOCUMENTS)
    )
    if since is not None:
        query = query.where(Document.created_at > since)
    return list(db.session.scalars(query).unique())


def send_digests(now=None) -> DigestReport:
    """Queue a digest for every follower who is due; commits once per person."""
    now = now or utcnow()
    report = DigestReport()
    user_ids = db.session.scalars(select(Follow.user_id).distinct()).all()
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            continue
        setting = db.session.get(DigestSetting, user.id)
        if setting is None:
            setting = DigestSetting(user_id=user.id, frequency=DigestFrequency.WEEKLY)
            db.session.add(setting)
        if setting.frequency == DigestFrequency.NEVER:
            continue
        period = PERIODS[DigestFrequency(setting.frequency)]
        if setting.last_sent_at is not None and now - setting.last_sent_at < period - SLACK:
            continue
        first_follow = db.session.scalar(
            select(Follow.created_at).where(Follow.user_id == user.id).order_by(Follow.created_at).limit(1)
        )
        documents = new_documents_for(user, setting.last_sent_at or min(first_follow, now - period))
        setting.last_sent_at = now
        if documents:
            with links_outside_requests():
                queue_mail(
                    user.email, "library_digest", user.preferred_language, user=user, documents=documents
                )
            db.session.add_all(DigestEntry(user_id=user.id, document_id=d.id, sent_at=now) for d in documents)
            report.mailed += 1
            report.documents += len(documents)
        db.session.commit()
    return report

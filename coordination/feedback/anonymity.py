"""What keeps an anonymous form's answers from pointing at anyone: small groups hidden (with their
complement), and answers released only in shuffled groups of at least MIN_GROUP.

The release rule: an anonymous response is sealed in `feedback_pending_responses` when it is
submitted, and moved into the results (pages, filters, exports) only once at least MIN_GROUP
responses wait, all together and in random order. So what an organizer sees changes in steps of
at least MIN_GROUP, and comparing two exports with who answered in between (the reminder's
recipients, the response rate) narrows a new answer to no fewer than MIN_GROUP people. The last
answers of a form, fewer than MIN_GROUP, are never shown.

The sealed payload is encrypted (AES-GCM, no timestamp, unlike Fernet) with a key derived from the
application's SECRET_KEY, and padded to a multiple of PAD bytes so that its length does not tell
which released response it became.
"""

import base64
import hashlib
import json
import logging
import os
import random
from collections import Counter
from collections.abc import Hashable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import delete, func, select

from coordination.extensions import db
from coordination.feedback import tallies
from coordination.feedback.models import (
    FeedbackAnswer,
    FeedbackForm,
    FeedbackPendingResponse,
    FeedbackQuestion,
    FeedbackResponse,
)

logger = logging.getLogger(__name__)

MIN_GROUP = 3
PAD = 64 * 1024
_shuffler = random.SystemRandom()


def hidden_groups(counts: Mapping[Hashable, int], k: int = MIN_GROUP) -> set:
    """The groups to hide among `counts` (group → number of responses): every group under k, then
    the smallest shown ones until what is hidden adds up to at least k (complementary suppression),
    so that the total minus the shown groups never gives a group under k."""
    hidden = {group for group, count in counts.items() if 0 < count < k}
    shown = sorted(
        (group for group, count in counts.items() if group not in hidden and count > 0),
        key=lambda group: (counts[group], str(group)),
    )
    while hidden and sum(counts[group] for group in hidden) < k and shown:
        hidden.add(shown.pop(0))
    return hidden


def shown_counts(counts: Mapping[Hashable, int], k: int = MIN_GROUP) -> dict:
    """`counts` with every hidden group's count replaced by None (see hidden_groups)."""
    hidden = hidden_groups(counts, k)
    return {group: None if group in hidden else count for group, count in counts.items()}


def _key() -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(b"roundtable feedback pending responses\0" + secret).digest()


def seal(form_id: int, payload: dict) -> str:
    """The payload as padded, encrypted text, readable only with this application's secret."""
    data = json.dumps(payload, ensure_ascii=False).encode()
    data += b" " * (PAD - len(data) % PAD)
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_key()).encrypt(nonce, data, str(form_id).encode())).decode()


def unseal(form_id: int, sealed: str) -> dict:
    """The payload `seal` was given; raises cryptography's InvalidTag if the secret has changed."""
    raw = base64.b64decode(sealed)
    return json.loads(AESGCM(_key()).decrypt(raw[:12], raw[12:], str(form_id).encode()))


def hold_response(form: FeedbackForm, organization_kind: str | None, answers: list[FeedbackAnswer]) -> None:
    """Seal an anonymous response until it can be released with others, then release if it can."""
    payload = {
        "kind": organization_kind,
        "answers": [[a.question_id, a.code, a.number, a.text] for a in answers],
    }
    db.session.add(FeedbackPendingResponse(form_id=form.id, sealed=seal(form.id, payload)))
    db.session.flush()
    release_pending(form)


def pending_count(form: FeedbackForm) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(FeedbackPendingResponse)
        .where(FeedbackPendingResponse.form_id == form.id)
    )


def release_pending(form: FeedbackForm) -> int:
    """Move the form's sealed responses into the results, shuffled, once at least MIN_GROUP wait;
    returns how many were released (0 or at least MIN_GROUP)."""
    # One release at a time per form: a concurrent submission waits here, then sees what is left.
    db.session.execute(select(FeedbackForm.id).where(FeedbackForm.id == form.id).with_for_update())
    pending = db.session.execute(
        select(FeedbackPendingResponse.id, FeedbackPendingResponse.sealed).where(
            FeedbackPendingResponse.form_id == form.id
        )
    ).all()
    opened, taken = [], []
    for row in pending:
        try:
            opened.append(unseal(form.id, row.sealed))
        except (InvalidTag, ValueError):
            # Sealed under another SECRET_KEY: unreadable for good. Left where it is, uncounted, so
            # that the answers sealed since are still released (and an answer is never a 500).
            logger.warning(
                "A sealed feedback response of form %s cannot be read: SECRET_KEY changed?", form.id
            )
            continue
        taken.append(row.id)
    if len(opened) < MIN_GROUP:
        return 0
    _shuffler.shuffle(opened)
    # A kind shared by fewer than MIN_GROUP of this group is not kept: stored, it would point at them.
    hidden = hidden_groups(Counter(item["kind"] or "" for item in opened))
    # A question deleted meanwhile takes its waiting answers with it, as it would have taken them
    # from the results.
    questions = set(
        db.session.scalars(select(FeedbackQuestion.id).where(FeedbackQuestion.form_id == form.id))
    )
    released = []
    for item in opened:
        kind = item["kind"] if (item["kind"] or "") not in hidden else None
        answers = [
            FeedbackAnswer(question_id=question_id, code=code, number=number, text=text)
            for question_id, code, number, text in item["answers"]
            if question_id in questions
        ]
        _shuffler.shuffle(answers)
        db.session.add(FeedbackResponse(form_id=form.id, organization_kind=kind, answers=answers))
        released.append((kind, answers))
    db.session.execute(delete(FeedbackPendingResponse).where(FeedbackPendingResponse.id.in_(taken)))
    db.session.flush()
    tallies.count(form, released)
    return len(opened)

"""Full-text search behind one interface: SQLite FTS5 on the embedded default, PostgreSQL
tsvector + GIN in production.

Both index the `document_search` table (title apart, ranked higher; description, tags and the
extracted text in `body`). On SQLite the migration makes an FTS5 table over it kept in sync by
triggers; on PostgreSQL a generated tsvector column with a GIN index. Both tokenize without
stemming or accent folding, so that a query finds the same documents on either.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import Select, column, func, literal_column, select, table
from sqlalchemy.orm import joinedload

from coordination.extensions import db
from coordination.library import queries
from coordination.library.models import Document, SearchEntry
from coordination.pagination import paginate_capped

FTS_TABLE = "library_fts"
BODY_LIMIT = 200_000  # characters indexed per document: a tsvector holds at most 1 MB
_START, _STOP = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"[^\W_]+")

# The DDL names the FTS table literally (FTS_TABLE); the migration holds a copy of these lists.
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE library_fts USING fts5(title, body, content='document_search', "
    "content_rowid='document_id', tokenize='unicode61 remove_diacritics 0')",
    """CREATE TRIGGER document_search_ai AFTER INSERT ON document_search BEGIN
        INSERT INTO library_fts(rowid, title, body) VALUES (new.document_id, new.title, new.body); END""",
    """CREATE TRIGGER document_search_ad AFTER DELETE ON document_search BEGIN
        INSERT INTO library_fts(library_fts, rowid, title, body)
        VALUES ('delete', old.document_id, old.title, old.body); END""",
    """CREATE TRIGGER document_search_au AFTER UPDATE ON document_search BEGIN
        INSERT INTO library_fts(library_fts, rowid, title, body)
        VALUES ('delete', old.document_id, old.title, old.body);
        INSERT INTO library_fts(rowid, title, body) VALUES (new.document_id, new.title, new.body); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS document_search_ai",
    "DROP TRIGGER IF EXISTS document_search_ad",
    "DROP TRIGGER IF EXISTS document_search_au",
    "DROP TABLE IF EXISTS library_fts",
]
POSTGRESQL_DDL = [
    "ALTER TABLE document_search ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX ix_document_search_vector ON document_search USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS ix_document_search_vector",
    "ALTER TABLE document_search DROP COLUMN IF EXISTS search_vector",
]


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparisons: the search index lives outside the models (see the module doc)."""
    if type_ == "table" and reflected and compare_to is None and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and reflected and compare_to is None and name == "search_vector":
        return False
    return not (type_ == "index" and name == "ix_document_search_vector")


def _clean(text: str | None) -> str:
    return _CONTROL.sub(" ", text or "")


def index_document(document: Document, texts: list[str]) -> None:
    """Put `document`'s searchable text (title, description, tags and `texts`) into the index."""
    body = "\n".join(part for part in (document.description, " ".join(document.tag_names), *texts) if part)
    entry = db.session.get(SearchEntry, document.id)
    if entry is None:
        entry = SearchEntry(document_id=document.id)
        db.session.add(entry)
    entry.title = _clean(document.title)
    entry.body = _clean(body)[:BODY_LIMIT]
    db.session.flush()


def words(query: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(query or "")][:12]


@dataclass
class Hit:
    document: Document
    snippet: Markup


def _highlight(snippet: str | None) -> Markup:
    html = str(escape(snippet or ""))
    return Markup(html.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S704 - escaped above


def _fts_match(terms: list[str]):
    """SQLite: the FTS condition for documents holding every term."""
    return literal_column(FTS_TABLE).op("MATCH")(" ".join(f'"{term}"' for term in terms))


def _tsquery(terms: list[str]):
    return func.plainto_tsquery("simple", " ".join(terms))


def _ranked(terms: list[str]):
    """The matches as (document_id, rank), better first by ascending `rank`: each match is ranked,
    since any of them may be the best, so this is the search's one costly part."""
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("document_search.search_vector")
        tsquery = _tsquery(terms)
        return (
            select(
                SearchEntry.document_id.label("document_id"), (-func.ts_rank(vector, tsquery)).label("rank")
            )
            .where(vector.op("@@")(tsquery))
            .subquery("matches")
        )
    fts = table(FTS_TABLE, column("rowid"))
    bm25 = func.bm25(literal_column(FTS_TABLE), 10.0, 1.0)
    # bm25 is lower for better matches; the title weighs ten times the rest. Materialized so that
    # bm25 runs once per match inside the FTS scan, whatever the join order the filters suggest.
    return (
        select(fts.c.rowid.label("document_id"), bm25.label("rank"))
        .select_from(fts)
        .where(_fts_match(terms))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )


def _matching(query: Select, terms: list[str]) -> Select:
    """`query` (over Document) narrowed to the matches, unranked: for counting them."""
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("document_search.search_vector")
        return query.join(SearchEntry, SearchEntry.document_id == Document.id).where(
            vector.op("@@")(_tsquery(terms))
        )
    fts = table(FTS_TABLE, column("rowid"))
    return query.join(fts, fts.c.rowid == Document.id).where(_fts_match(terms))


def search_query(user, text: str, filters: queries.Filters) -> Select | None:
    """The ranked documents matching every word of `text` that `user` may see; None without words."""
    terms = words(text)
    if not terms:
        return None
    matches = _ranked(terms)
    query = (
        select(Document)
        .join(matches, matches.c.document_id == Document.id)
        .order_by(matches.c.rank.asc(), Document.id.desc())
    )
    return queries.apply_filters(query.where(queries.visible_to(user)), filters)


def count_query(user, text: str, filters: queries.Filters) -> Select:
    """The documents `search_query` finds, without their rank: what the page count walks."""
    query = _matching(select(Document.id), words(text)).where(queries.visible_to(user))
    return queries.apply_filters(query, filters)


def snippets(document_ids: list[int], text: str) -> dict[int, Markup]:
    """Highlighted passages of the given documents for `text`: computed for one page only."""
    terms = words(text)
    if not document_ids or not terms:
        return {}
    if db.engine.dialect.name == "postgresql":
        tsquery = _tsquery(terms)
        options = (
            f"StartSel={_START}, StopSel={_STOP}, MaxWords=24, MinWords=10, MaxFragments=2, "
            "FragmentDelimiter= … "
        )
        rows = db.session.execute(
            select(
                SearchEntry.document_id,
                func.ts_headline("simple", func.left(SearchEntry.body, 20000), tsquery, options),
            ).where(SearchEntry.document_id.in_(document_ids))
        )
    else:
        fts = table(FTS_TABLE, column("rowid"))
        rows = db.session.execute(
            select(fts.c.rowid, func.snippet(literal_column(FTS_TABLE), -1, _START, _STOP, " … ", 16))
            .select_from(fts)
            .where(_fts_match(terms), fts.c.rowid.in_(document_ids))
        )
    return {document_id: _highlight(snippet) for document_id, snippet in rows}


def search(user, text: str, filters: queries.Filters, per_page: int):
    """A page of hits (document and highlighted snippet), or None when `text` has no word."""
    query = search_query(user, text, filters)
    if query is None:
        return None
    page = paginate_capped(
        query.options(joinedload(Document.organization)), per_page, count=count_query(user, text, filters)
    )
    passages = snippets([document.id for document in page.items], text)
    page.hits = [Hit(document, passages.get(document.id, Markup(""))) for document in page.items]
    return page


def document_ids(user, text: str) -> list[int]:
    """Ids of every match, best first: for comparing the two engines on one corpus."""
    query = search_query(user, text, queries.Filters())
    if query is None:
        return []
    return list(db.session.scalars(query.with_only_columns(Document.id)))

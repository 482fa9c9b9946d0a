"""`flask library extract`, `flask library digest` and `flask library purge-trash`."""

import click

from coordination.extensions import db
from coordination.library import bp, digest, rules, storage


@bp.cli.command("extract")
@click.option("--batch", default=50, show_default=True, help="Versions read per batch.")
def extract(batch: int) -> None:
    """Read the text of every version still waiting (after a crash or a restart) and run the guard."""
    total = 0
    while done := rules.extract_versions(limit=batch):
        total += done
    click.echo(f"library: text read from {total} file(s)")


@bp.cli.command("digest")
def send_digest() -> None:
    """Queue each follower's digest of new documents, when their daily or weekly turn has come."""
    report = digest.send_digests()
    click.echo(f"library digest: {report.mailed} mail(s) queued, {report.documents} document(s) in them")


@bp.cli.command("purge-trash")
def purge_trash() -> None:
    """Remove for good the documents in the trash for more than 30 days, and their files."""
    count, names = rules.purge_trash()
    db.session.commit()
    for name in names:
        storage.remove(name)
    click.echo(f"library: {count} document(s) removed from the trash")

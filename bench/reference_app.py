"""The reference page: a bare Flask + Flask-SQLAlchemy app listing 38 organizations.

It reads the benchmark's database (BENCH_DATABASE_URL) and renders the first 38 organizations by
name as an HTML table, with nothing else: no sessions, no login, no translations. Its requests/s
and latency are what the benchmark divides the application's figures by.
"""

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))


PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Organizations</title></head>
<body>
<h1>Organizations</h1>
<table>
  <thead><tr><th>Name</th><th>Kind</th><th>Country</th><th>City</th></tr></thead>
  <tbody>
  {% for organization in organizations %}
    <tr>
      <td><a href="/organizations/{{ organization.id }}">{{ organization.name }}</a></td>
      <td>{{ organization.kind }}</td>
      <td>{{ organization.country or "" }}</td>
      <td>{{ organization.city or "" }}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>
</body>
</html>
"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_DATABASE_URL"]
    # Loaded like a template file, so that Jinja compiles it once and caches it as it would the
    # application's templates (render_template_string would compile it again on every request).
    app.jinja_loader = DictLoader({"organizations.html": PAGE})
    db.init_app(app)

    @app.get("/")
    def organizations():
        rows = db.session.scalars(db.select(Organization).order_by(Organization.name).limit(38)).all()
        return render_template("organizations.html", organizations=rows)

    return app


app = create_app()

"""Roundtable: the coordination platform of a country office with the embassies and partners."""

import logging
from pathlib import Path

from flask import Flask

from config import load_config
from coordination.extensions import babel, csrf, db, limiter, login_manager, migrate
from coordination.extensions import mail as mail_extension  # `mail` is also a sub-package
from coordination.inputs import BoundedIntConverter, refuse_control_characters_in_query

REPO_DIR = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: settings, extensions, blueprints, error pages and commands."""
    app = Flask(
        __name__,
        template_folder=str(REPO_DIR / "templates"),
        instance_path=str(REPO_DIR / "instance"),
    )
    app.config.from_object(load_config(config_name))
    app.config.update(overrides)
    app.url_map.converters["int"] = BoundedIntConverter
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(levelname)s %(name)s: %(message)s")

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from coordination import i18n
    from coordination.announcements.freshness import watch_announcement_changes
    from coordination.auth.session import load_user
    from coordination.directory.freshness import watch_directory_changes
    from coordination.library.freshness import watch_library_changes
    from coordination.mail.outbox import send_queued_after_request
    from coordination.roundtables.freshness import watch_roundtable_changes

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_DIR / "migrations"))
    csrf.init_app(app)
    mail_extension.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = i18n.LOGIN_REQUIRED_MESSAGE
    app.before_request(refuse_control_characters_in_query)
    app.after_request(send_queued_after_request)
    watch_directory_changes()
    watch_roundtable_changes()
    watch_library_changes()
    watch_announcement_changes()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_pragmas(app)


def _sqlite_pragmas(app: Flask) -> None:
    from sqlalchemy import event

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()


def register_blueprints(app: Flask) -> None:
    from coordination import audit, auth, directory, feedback, library, mail, main, reports, roundtables
    from coordination.announcements import views as _announcements_views
    from coordination.audit import views as _audit_views  # noqa: F401 - routes attach to the blueprints
    from coordination.auth import views as _auth_views  # noqa: F401
    from coordination.catalogue import views as _catalogue_views
    from coordination.directory import transfer_views as _transfer_views  # noqa: F401
    from coordination.directory import views as _directory_views  # noqa: F401
    from coordination.feedback import views as _feedback_views  # noqa: F401
    from coordination.library import commands as _library_commands  # noqa: F401
    from coordination.library import views as _library_views  # noqa: F401
    from coordination.mail import views as _mail_views  # noqa: F401
    from coordination.main import views as _main_views  # noqa: F401
    from coordination.reports import views as _reports_views  # noqa: F401
    from coordination.roundtables import follow_up_views as _follow_up_views  # noqa: F401
    from coordination.roundtables import views as _roundtables_views  # noqa: F401
    from coordination.suggestions import views as _suggestions_views

    for area in (main, auth, directory, roundtables, feedback, reports, library, audit, mail):
        app.register_blueprint(area.bp)
    app.register_blueprint(_suggestions_views.bp)
    app.register_blueprint(_catalogue_views.bp)
    app.register_blueprint(_announcements_views.bp)


def register_errorhandlers(app: Flask) -> None:
    from coordination.main.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from coordination.main.context import register

    register(app)


def register_commands(app: Flask) -> None:
    from coordination.commands import register

    register(app)

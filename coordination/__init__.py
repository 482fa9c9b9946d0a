"""Roundtable: the coordination platform of a country office with the embassies and partners."""

import logging
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

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
    if not app.config["DURABLE_COMMITS"] and app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _skip_commit_flush(app)
    app.url_map.converters["int"] = BoundedIntConverter
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(levelname)s %(name)s: %(message)s")

    register_proxies(app)
    register_extensions(app)
    register_policies()
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_proxies(app: Flask) -> None:
    """Production answers only its own host names; behind proxies, the client's address is used."""
    if app.config["ENV_NAME"] == "production" and not app.config["TRUSTED_HOSTS"]:
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["BASE_URL"]).hostname]
    if count := app.config["PROXY_COUNT"]:
        # Otherwise every request seems to come from the proxy, and one client's failed sign-ins
        # would throttle everyone.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    from coordination import cache, i18n
    from coordination.announcements.freshness import watch_announcement_changes
    from coordination.auth.session import end_idle_organizer_session, load_user
    from coordination.directory.freshness import watch_directory_changes
    from coordination.library.freshness import watch_library_changes
    from coordination.mail.outbox import send_queued_after_request
    from coordination.roundtables.freshness import watch_roundtable_changes
    from coordination.security_headers import register as register_security_headers
    from coordination.suggestions.freshness import watch_suggestion_changes

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
    app.before_request(end_idle_organizer_session)
    app.before_request(refuse_control_characters_in_query)
    app.after_request(send_queued_after_request)
    register_security_headers(app)
    cache.init_app(app)
    watch_directory_changes()
    watch_roundtable_changes()
    watch_library_changes()
    watch_announcement_changes()
    # The suggestions pages keep nothing; the home page and the dashboard still key theirs on it.
    watch_suggestion_changes()
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
            if not app.config["DURABLE_COMMITS"]:
                cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()


def register_policies() -> None:
    """Each area answers "may this user do this" in its own policy module; importing one registers
    its actions (see coordination.policy)."""
    from coordination.announcements import policy as _announcements  # noqa: F401
    from coordination.audit import policy as _audit  # noqa: F401
    from coordination.catalogue import policy as _catalogue  # noqa: F401
    from coordination.directory import policy as _directory  # noqa: F401
    from coordination.feedback import policy as _feedback  # noqa: F401
    from coordination.library import policy as _library  # noqa: F401
    from coordination.mail import policy as _mail  # noqa: F401
    from coordination.reports import policy as _reports  # noqa: F401
    from coordination.roundtables import policy as _roundtables  # noqa: F401
    from coordination.suggestions import policy as _suggestions  # noqa: F401


def _skip_commit_flush(app: Flask) -> None:
    """PostgreSQL answers a commit before its WAL reaches the disk (DURABLE_COMMITS off)."""
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = (connect_args.get("options", "") + " -c synchronous_commit=off").strip()
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_blueprints(app: Flask) -> None:
    from coordination import audit, auth, directory, feedback, library, mail, main, reports, roundtables
    from coordination.announcements import views as _announcements_views
    from coordination.audit import views as _audit_views  # noqa: F401 - routes attach to the blueprints
    from coordination.auth import commands as _auth_commands  # noqa: F401
    from coordination.auth import second_factor_views as _second_factor_views  # noqa: F401
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
    from coordination.roundtables import views as _roundtables_views  # noqa: F401
    from coordination.roundtables.follow_up import views as _follow_up_views  # noqa: F401
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

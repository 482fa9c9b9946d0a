"""Every user-facing string is translated into French and Arabic, and the pages use the catalogues."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set[str]:
    """The msgids extracted from the sources right now (not from the committed .pot)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            *("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2"),
            *("-o", str(pot), "."),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as stream:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(stream)
            if message.id
        }


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_source_string_has_a_translation(source_messages, language):
    with (REPO / f"coordination/translations/{language}/LC_MESSAGES/messages.po").open("rb") as stream:
        catalogue = read_po(stream)
    translated = set()
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            translated.add(message.id if isinstance(message.id, str) else message.id[0])
    assert sorted(source_messages - translated) == []


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Mot de passe oublié ?"), ("ar", "هل نسيت كلمة المرور؟")]
)
def test_login_page_is_rendered_from_the_catalogue(client, language, expected):
    client.post("/language", data={"language": language})
    assert expected in client.get("/login").get_data(as_text=True)

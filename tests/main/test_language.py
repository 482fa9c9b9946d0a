"""Languages: the preference, else the browser, switched from the language bar; Arabic is right to left."""

import pytest

from coordination.auth.models import User
from coordination.extensions import db
from tests.conftest import login


def test_browser_language_is_used_before_sign_in(client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page


def test_language_bar_shows_native_names_and_marks_the_current_one(client):
    page = client.get("/login").get_data(as_text=True)
    for native in ("English", "Français", "العربية"):
        assert native in page
    assert 'value="en" lang="en"' in page


def test_switching_to_arabic_gives_a_right_to_left_page_with_the_rtl_stylesheet(client):
    response = client.post("/language", data={"language": "ar", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page


def test_switching_language_while_signed_in_saves_the_preference(client, member):
    login(client, member)
    client.post("/language", data={"language": "ar", "next": "/organizations"})
    assert db.session.get(User, member.id, populate_existing=True).preferred_language == "ar"
    assert 'dir="rtl"' in client.get("/organizations").get_data(as_text=True)


def test_preference_wins_over_the_browser(client, member):
    member.preferred_language = "fr"
    db.session.commit()
    login(client, member)
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_language_switch_does_not_redirect_off_site(client, target):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx"})
    assert '<html lang="en"' in client.get("/login").get_data(as_text=True)


def test_language_bar_returns_to_the_page_it_was_on(client, member):
    login(client, member)
    response = client.post(
        "/language",
        data={"language": "fr"},
        headers={"Referer": "http://roundtable.test/organizations?q=sudan"},
    )
    assert response.headers["Location"] == "/organizations?q=sudan"
    other_site = client.post(
        "/language", data={"language": "en"}, headers={"Referer": "https://evil.example/x"}
    )
    assert other_site.headers["Location"] == "/"

"""Compiled templates kept across template environments: reused, never stale, never shared across settings."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, select_autoescape

from funnel_library.rendering.compiled_templates import CompiledTemplates


def environment(folder, cache: CompiledTemplates, **settings) -> Environment:
    return Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=cache, **settings)


def test_a_new_environment_reuses_the_code_and_an_edited_template_compiles_again(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("Hello {{ name }}!")
    cache = CompiledTemplates()
    compiled: list[str] = []
    original = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    assert environment(tmp_path, cache).get_template("page.html").render(name="a") == "Hello a!"
    assert environment(tmp_path, cache).get_template("page.html").render(name="b") == "Hello b!"
    assert compiled == ["page.html"] and len(cache) == 1

    (tmp_path / "page.html").write_text("Goodbye {{ name }}.")
    assert environment(tmp_path, cache).get_template("page.html").render(name="c") == "Goodbye c."
    assert compiled == ["page.html", "page.html"]


def test_environments_whose_settings_change_the_code_do_not_share_it(tmp_path):
    (tmp_path / "page.html").write_text("{{ text }}\n{% if true %}\n  kept\n{% endif %}\n")
    cache = CompiledTemplates()
    plain = environment(tmp_path, cache).get_template("page.html").render(text="<b>")
    escaped = environment(tmp_path, cache, autoescape=True).get_template("page.html").render(text="<b>")
    trimmed = environment(tmp_path, cache, trim_blocks=True).get_template("page.html").render(text="<b>")
    assert plain.startswith("<b>\n") and escaped.startswith("&lt;b&gt;\n")
    assert plain != trimmed and "\n  kept\n" in trimmed
    assert len(cache) == 3


def test_two_autoescape_rules_of_one_kind_do_not_share_code(tmp_path):
    """select_autoescape() makes a function of the same name whatever it is asked: what counts is its answer."""
    (tmp_path / "page.html").write_text("{{ text }}")
    cache = CompiledTemplates()
    html = environment(tmp_path, cache, autoescape=select_autoescape(enabled_extensions=("html",)))
    plain = environment(tmp_path, cache, autoescape=select_autoescape(enabled_extensions=(), default=False))
    assert html.get_template("page.html").render(text="<b>") == "&lt;b&gt;"
    assert plain.get_template("page.html").render(text="<b>") == "<b>"

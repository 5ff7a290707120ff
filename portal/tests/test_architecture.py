"""The layering the README's layout describes, checked on the real import graph."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept(monkeypatch):
    # filings/ never imports review/; the shared machinery (models, workflow, views, PDF, review)
    # names no kind, so a kind is added without touching it (.importlinter).
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True) == 0

"""The labels of kinds, states and districts, translated once per language for the process.

A list draws a label in every row. Choice labels are lazy: each one shown is a catalogue lookup,
and building the dicts again on every page cost a list more than drawing its rows. The catalogue
and the choices are fixed for the life of the process, so each language's labels are read once.
"""

import functools

from django.utils.translation import get_language

from accounts.models import District
from filings import kinds
from filings.states import State


@functools.cache
def _labels(choices: str, language: str | None) -> dict[str, str]:
    # `language` is part of the memo's key: the active language decides the translation.
    source = {"kind": kinds.choices, "state": lambda: State.choices, "district": lambda: District.choices}[choices]
    return {value: str(label) for value, label in source()}


def kind_labels() -> dict[str, str]:
    return _labels("kind", get_language())


def state_labels() -> dict[str, str]:
    return _labels("state", get_language())


def district_labels() -> dict[str, str]:
    return _labels("district", get_language())


@functools.cache
def _choice_texts(choices: type, language: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in choices.choices)


def choice_texts(choices: type) -> tuple[tuple[str, str], ...]:
    """(value, label) of a Choices class, its labels translated once per language (e.g. a select's options)."""
    return _choice_texts(choices, get_language())

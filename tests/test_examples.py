"""The examples run as documented and print what they claim (so they cannot rot)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


def test_quickstart(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("quickstart.py", capsys)
    assert 'AWSPREVIOUS   {"password": "first"}' in out
    assert 'AWSCURRENT    {"password": "third"}' in out
    assert 'AWSPREVIOUS   {"password": "second"}' in out
    assert "Secrets Manager can't find the specified secret." in out


def test_walkthrough(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("walkthrough.py", capsys)
    assert "key disabled       DecryptionFailure" in out
    assert "key enabled again  k-1" in out
    assert "name prefix app/   ['app/api-key', 'app/db']" in out
    assert "description 'data' ['app/db']" in out
    assert "after 8 days       ['app/api-key', 'app/db']" in out
    assert "replica reads      pw-2" in out


def test_rotation_function_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run("rotation_function.py", capsys)
    assert "succeeded ['createSecret', 'setSecret', 'testSecret', 'finishSecret']" in out
    assert "schedule succeeded" in out

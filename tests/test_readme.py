"""The READMEs' Python examples run, in order, and the files they link to exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
READMES = ["README.md", "README.es.md"]
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
LOCAL_LINK = re.compile(r"\]\((?!https?://|#)([^)\s]+)\)")


def python_blocks(readme: str) -> list[str]:
    """Return the ```python blocks of a README, in order."""
    return CODE_BLOCK.findall((REPO / readme).read_text(encoding="utf-8"))


@pytest.mark.parametrize("readme", READMES)
def test_readme_examples_run(readme, tmp_path):
    blocks = python_blocks(readme)
    assert len(blocks) >= 2, f"{readme} has {len(blocks)} Python examples"

    # Blocks share one namespace, like a reader pasting them into one session; files they write
    # land in tmp_path.
    namespace: dict[str, object] = {"__name__": "__readme__"}
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        for index, block in enumerate(blocks):
            code = compile(block, f"{readme} example {index + 1}", "exec")
            exec(code, namespace)
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("readme", READMES)
def test_readme_links_exist(readme):
    text = (REPO / readme).read_text(encoding="utf-8")

    targets = LOCAL_LINK.findall(text)

    assert targets
    missing = [target for target in targets if not (REPO / target.split("#")[0]).exists()]
    assert missing == []


def test_english_readme_links_spanish_first():
    first_lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:5]

    assert any("README.es.md" in line for line in first_lines)

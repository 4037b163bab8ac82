"""What the README promises a new user about running the app holds for the Makefile."""

from __future__ import annotations

import re

from conftest import REPO_ROOT


def test_the_readme_says_how_to_run_on_another_port_and_the_makefile_honours_it():
    readme = (REPO_ROOT / "README.md").read_text()
    makefile = (REPO_ROOT / "Makefile").read_text()
    port = re.search(r"`make run PORT=(\d+)` serves on\s+http://localhost:(\d+)", readme)
    assert port, "the README does not say how to run on another port"
    assert port.group(1) == port.group(2)
    assert re.search(r"^PORT \?= 8501$", makefile, re.MULTILINE)
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "--server.port $(PORT)" in run_recipe

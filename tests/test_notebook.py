"""A real notebook calls the Python API (issue 19): executed by nbclient in an IPython kernel
running this interpreter, its cells show a Solution and a Report as Markdown with math
(``text/markdown``), as Jupyter displays them.

The kernel is this interpreter through a kernelspec written into a temporary JUPYTER_PATH:
no ``ipykernel install``, nothing outside the test's directory, no network."""

from __future__ import annotations

import json
import sys

import pytest

import dlsolve

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")

KERNEL = "dlsolve-test-python"
CELLS = [
    "import dlsolve\nsolution = dlsolve.solve('som-train')\nsolution",
    "solution.answers['winners']",
    "dlsolve.check({'winners': [1, 1, 2, 1], 'distances.1': [0.87, 1.1]}, command='som-train')",
    "try:\n    dlsolve.solve('som-train', lr=-1)\nexcept ValueError as error:\n    print(type(error).__name__, error)",
    "print(dlsolve.solve('som-train', epochs=2, lr_decay='0.5').text(width=80).splitlines()[0])",
]


@pytest.fixture
def executed(tmp_path, monkeypatch):
    """The notebook of CELLS, executed; its cells' outputs."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "dlsolve test (this interpreter)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    client = nbclient.NotebookClient(notebook, kernel_name=KERNEL, timeout=120, resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    nbformat.validate(notebook)
    return [cell.outputs for cell in notebook.cells]


def _result(outputs: list, mime: str) -> str:
    found = [o["data"][mime] for o in outputs if o["output_type"] == "execute_result" and mime in o["data"]]
    assert len(found) == 1, outputs
    return found[0]


def test_a_notebook_shows_the_solution_and_the_report_as_markdown_with_math(executed):
    solution_cell, winners_cell, report_cell, error_cell, text_cell = executed
    markdown = _result(solution_cell, "text/markdown")
    assert markdown == dlsolve.solve("som-train").markdown()
    assert "$$" in markdown and "Iteration 1" in markdown
    assert _result(solution_cell, "text/plain").startswith("<Solution som-train:")
    assert _result(winners_cell, "text/plain") == "[1, 1, 2, 2]"  # the course notes' winners
    report = _result(report_cell, "text/markdown")
    assert "| ✗ | `winners` |" in report and "| ✓ | `distances.1` |" in report
    assert _result(report_cell, "text/plain") == "<Report som-train: 1/2; first wrong step 5>"
    assert [o["text"] for o in error_cell if o["output_type"] == "stream"] == ["InputError --lr: must be > 0, got -1\n"]
    assert [o["text"] for o in text_cell if o["output_type"] == "stream"] == [dlsolve.solve("som-train", epochs=2, lr_decay=0.5).text(width=80).splitlines()[0] + "\n"]

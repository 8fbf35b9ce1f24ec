"""Issue 17: ReportLab writes every number and measures every string of a PDF through its
accelerators; without the rl-accel package (ReportLab's own, a package apart since
ReportLab 4) it falls back to Python, and the evidence bundle of 15,000 contacts took about
twice as long. The project installs it."""

from __future__ import annotations

import inspect

from reportlab.lib import rl_accel


def test_reportlab_writes_pdfs_with_its_c_speedups() -> None:
    assert inspect.isbuiltin(rl_accel.fp_str)
    assert inspect.isbuiltin(rl_accel.escapePDF)
    assert rl_accel.fp_str(1.5, 0.25, 100) == "1.5 .25 100"

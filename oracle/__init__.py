"""bf16lint's runtime oracle: runs small PyTorch programs with real torch (CUDA redirected to
the CPU, tiny stand-ins for the vision libraries) and reports whether and where the bf16
dtype error is raised. See oracle/README.md."""
from oracle.program import Frame, Label, Program, Verdict
from oracle.runner import label_programs, run_programs

__all__ = ["Frame", "Label", "Program", "Verdict", "label_programs", "run_programs"]

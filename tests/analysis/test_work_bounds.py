"""The interpreter's work bound is per module-level statement: a heavy helper early in a
file must not use up the budget that a later call needs (ARCHITECTURE.md: one
re-interpretation budget per file silently dropped findings)."""
from __future__ import annotations

from bf16lint.analysis.interpreter import MAX_STEPS
from bf16lint.engine import lint_source


def heavy_then_bug(statements: int, calls: int) -> str:
    body = "\n".join(f"    v{i} = {i}" for i in range(statements))
    helper_calls = "\n".join("heavy()" for _ in range(calls))
    return (
        "import torch\n\n"
        'model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")\n\n\n'
        f"def heavy():\n{body}\n    return v0\n\n\n"
        "def run(net, x):\n    return net(x)\n\n\n"
        f"{helper_calls}\n"
        "images = torch.rand(2, 3, 224, 224).to(torch.bfloat16)\n"
        "out = run(model, images)\n"
    )


def test_a_heavy_helper_early_in_the_file_leaves_the_later_call_its_budget():
    statements, calls = 120, MAX_STEPS // 120 + 100  # more than one module budget in all
    text = heavy_then_bug(statements, calls)
    call_line = text.splitlines().index("    return net(x)") + 1
    assert [(f.code, f.line) for f in lint_source(text)] == [("BFD001", call_line)]

"""Call summaries (analysis/summaries.py): a call already interpreted in the same abstract
context is reused, and a change the callee could see (a model cast between two calls, a
global rebound) is a new context."""
from __future__ import annotations

import ast

from bf16lint.analysis.interpreter import Interpreter
from bf16lint.engine import lint_source

REPEATED = '''
import torch

def features(t):
    t = t.contiguous()
    return t.flatten(1)


def main():
    x = torch.rand(2, 3, 224, 224)
    a = features(x)
    b = features(x)
    c = features(x)


main()
'''


def interpret(text: str) -> Interpreter:
    interpreter = Interpreter(ast.parse(text), text.splitlines())
    interpreter.run()
    return interpreter


def test_a_call_in_the_same_context_is_reused():
    assert interpret(REPEATED).summaries.hits == 2


def test_a_model_cast_between_two_calls_is_a_new_context():
    text = '''
import torch

images = torch.rand(2, 3, 224, 224).to(torch.bfloat16)
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").to(torch.bfloat16)


def check():
    return model(images)


check()
model.float()
check()
'''
    call_line = text.splitlines().index("    return model(images)") + 1
    assert [(f.code, f.line) for f in lint_source(text)] == [("BFD001", call_line)]


def test_a_global_rebound_between_two_calls_is_a_new_context():
    text = '''
import torch

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.rand(2, 3, 224, 224)


def check():
    return model(images)


check()
images = images.to(torch.bfloat16)
check()
'''
    call_line = text.splitlines().index("    return model(images)") + 1
    assert [(f.code, f.line) for f in lint_source(text)] == [("BFD001", call_line)]

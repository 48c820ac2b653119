"""Laws of the analysis's abstract domain (join commutative, associative, idempotent; leq
consistent with join; bf16 never lost by a join) and the engine-level law that a branch
never sees the writes of a branch it did not take.

Where a law fails today it is a strict xfail naming the measured counterexample, and that
counterexample is checked first, so the xfail is deterministic; hypothesis then searches
further (derandomized, bounded). The rebuild turns them green one by one.
"""
from __future__ import annotations

import ast

import pytest
from hypothesis import Phase, given, settings, strategies as st

import strategies as S
from strategies import domain

BUDGET = settings(max_examples=100, deadline=None, derandomize=True, database=None)
# A law search only has to find one failure (strict xfails) or none: shrinking a failing
# nested container cost ~7 s a test, so the searches skip that phase.
SEARCH = settings(BUDGET, phases=[Phase.explicit, Phase.reuse, Phase.generate])


# ---------------------------------------------------------------- value families
def _tensor_containers():
    leaf = st.one_of(st.just(domain.UNKNOWN), S.tensors())
    return st.recursive(
        leaf,
        lambda c: st.builds(lambda k, i, e: domain.Container(k, i, e), st.sampled_from(["dict", "list", "tuple"]),
                            st.dictionaries(st.sampled_from(S.KEYS), c, max_size=3), st.one_of(st.just(domain.UNKNOWN), c)),
        max_leaves=5,
    )


FAMILIES = {
    "tensor": S.tensors(),
    "dtype": S.dtype_values(),
    "model": S.models,
    "container": _tensor_containers(),
    "any": S.abstract_values,
}


def _bf16(line_index):
    return domain.Tensor(domain.BF16, S.ORIGINS[line_index])


def _model(dtype):
    return domain.Model("resnet50", 2, dtype=dtype, built_by=S._SITES[1])


# ---------------------------------------------------------------- laws
def commutative(a, b, c):
    return S.same(S.join(a, b), S.join(b, a))


def associative(a, b, c):
    return S.same(S.join(S.join(a, b), c), S.join(a, S.join(b, c)))


def idempotent(a, b, c):
    # against an equal value built apart: `a is a` short-cuts today's join
    return S.same(S.join(a, a), a) and S.same(S.join(a, S.clone(a)), a)


def upper_bound(a, b, c):
    joined = S.join(a, b)
    return S.leq(a, joined) and S.leq(b, joined)


def keeps_bf16(a, b, c):
    """A join never forgets that a branch made the tensor bf16 (what can crash)."""
    return not (S.is_maybe_bf16(a) or S.is_maybe_bf16(b)) or S.is_maybe_bf16(S.join(a, b))


LAWS = {f.__name__: f for f in (commutative, associative, idempotent, upper_bound, keeps_bf16)}

# (family, law) -> (measured counterexample, what goes wrong today). Measured at 61bb7be+.
FAILING = {}  # (family, law) -> (measured counterexample, what goes wrong): none since the rebuild


def _cases():
    for family in FAMILIES:
        for law in LAWS:
            marks = ()
            if (family, law) in FAILING:
                marks = pytest.mark.xfail(strict=True, reason=FAILING[family, law][1])
            yield pytest.param(family, law, marks=marks, id=f"{law}-{family}")


@pytest.mark.parametrize("family,law", list(_cases()))
def test_join_law(family, law):
    check = LAWS[law]
    if (family, law) in FAILING:
        a, b, c = FAILING[family, law][0]()
        b = a if b is None else b
        c = a if c is None else c
        assert check(a, b, c), f"measured counterexample: {a!r}, {b!r}, {c!r}"
    values = FAMILIES[family]

    @SEARCH
    @given(values, values, values)
    def search(a, b, c):
        assert check(a, b, c)

    search()


@BUDGET
@given(S.abstract_values)
def test_deepcopy_is_equal_and_shares_no_mutable_state(value):
    """A copy taken before a cast keeps the old dtype only if it shares no model, instance
    or container with its original (RULES.md: deepcopy before the cast)."""
    copy = S.deep_copy(value)
    if copy is None:
        pytest.skip("the domain does not model copy.deepcopy")
    assert S.same(copy, value)
    assert not S.mutable_parts(copy) & S.mutable_parts(value)


def test_leq_is_reflexive_and_join_is_its_bound_for_equal_values():
    """Sanity of the adapter itself: leq from join on equal values, clone is equal."""
    for value in (domain.Tensor(domain.FP32), _bf16(0), _model(domain.FP32), domain.UNKNOWN,
                  domain.Container("dict", {"image": _bf16(2)})):
        assert S.same(value, S.clone(value))
        assert S.leq(value, value)
    assert not S.same(domain.Tensor(domain.FP32), domain.Tensor(domain.BF16, S.ORIGINS[0]))


# ---------------------------------------------------------------- branch isolation
# Engine-level law: under a condition the analysis cannot decide, a write made in one
# branch (a model cast, a cast back to float32) must not reach the other branch's state.
# The program below crashes on the path that skips the write, so the call is BFD001.
CONDITIONS = ('os.environ.get("CAST_MODEL")', "random.random() < 0.5", "len(sys.argv) > 1", "flag")
MUTATIONS = {
    # kind -> (setup lines, write spellings ({m} = the name written through), call)
    "model_cast": ("", ("{m}.to(torch.bfloat16)", "{m}.bfloat16()", "{m}.to(dtype=torch.bfloat16)",
                        "{m} = {m}.bfloat16()", '{m}.to("cuda", torch.bfloat16)'), "model(x)"),
    "instance_attr": ("holder = Holder()\nholder.x = x\n", ("holder.x = holder.x.float()", "holder.x = holder.x.to(torch.float32)"),
                      "model(holder.x)"),
    "dict_item": ('batch = {"image": x}\n', ('batch["image"] = batch["image"].float()',), 'model(batch["image"])'),
    "list_item": ("views = [x]\n", ("views[0] = views[0].float()",), "model(views[0])"),
}
HEADER = '''import os
import random
import sys

import timm
import torch


class Holder:
    pass


'''


@st.composite
def branch_programs(draw, kind):
    setup, writes, call = MUTATIONS[kind]
    write = draw(st.sampled_from(writes))
    target = "model"
    if kind == "model_cast" and draw(st.booleans()):
        setup, target = "net = model\n", "net"  # the write goes through an alias
    write = write.format(m=target)
    cond = draw(st.sampled_from(CONDITIONS))
    in_then = draw(st.booleans())
    in_function = draw(st.booleans())
    body = ['model = timm.create_model("resnet50", pretrained=True).cuda().eval()',
            "x = torch.rand(2, 3, 224, 224).cuda().to(torch.bfloat16)"]
    body += setup.splitlines()
    if cond == "flag" and not in_function:
        body.append('flag = os.environ.get("CAST_MODEL") == "1"')
    body += [f"if {cond}:", f"    {write if in_then else 'pass'}", "else:", f"    {'pass' if in_then else write}",
             f"out = {call}"]
    if in_function:
        text = HEADER + "def main(flag):\n" + "".join(f"    {line}\n" for line in body) + \
            '\n\nmain(os.environ.get("CAST_MODEL") == "1")\n'
    else:
        text = HEADER + "".join(f"{line}\n" for line in body)
    call_line = next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"out = {call}")
    return text, call_line


BRANCH_GAPS = {}  # kind -> why a write leaks into the branch that did not make it (none today)


@pytest.mark.parametrize("kind", [
    pytest.param(kind, marks=pytest.mark.xfail(strict=True, reason=BRANCH_GAPS[kind])) if kind in BRANCH_GAPS else kind
    for kind in MUTATIONS
])
def test_a_branch_never_sees_writes_of_a_branch_it_did_not_take(kind):
    from bf16lint.engine import lint_source

    @settings(max_examples=25, deadline=None, derandomize=True, database=None)
    @given(branch_programs(kind))
    def check(program):
        text, call_line = program
        found = [(f.line, f.code) for f in lint_source(text)]
        assert (call_line, "BFD001") in found, f"{found}\n{text}"

    check()

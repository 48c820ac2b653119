"""The libcst side of fixing: find the anchored nodes by position, edit, re-check."""
from __future__ import annotations

import ast
import re
from typing import Dict, List, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..findings import FixPlan
from . import FixError, FixUnavailable

WRAP_IMPORT = "from bf16lint.runtime import float32_inputs"
_COMPOUND_WITH_BODY = (cst.For, cst.While, cst.With, cst.FunctionDef, cst.If, cst.Try)
_LINE_ENDING = re.compile(r"\r\n|\r|\n|\Z")


def apply(text: str, plans) -> str:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        raise FixUnavailable(f"libcst cannot parse this code: {error.message}") from None
    # libcst's parser does not count a final bare CR as a trailing line break, so its
    # output would drop the last line break (once libcst 1.9 then lost a trailing blank
    # line "\r" of a fixed CR file): the module is told it has one. Anything else it would
    # not reproduce (it moves form feeds that precede a statement) could change lines no
    # fix touches: refused.
    if text.endswith("\r") and not module.has_trailing_newline:
        module = module.with_changes(has_trailing_newline=True)
    if module.code != text:
        raise FixUnavailable("libcst cannot reproduce this code byte for byte (a form feed before a statement, a backslash-CR continuation?)")
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)

    line_endings = [m.group() for m in _LINE_ENDING.finditer(text)]
    by_start: Dict[Tuple[int, int], List[cst.CSTNode]] = {}
    by_span: Dict[Tuple[int, int, int, int], List[cst.CSTNode]] = {}
    for node, pos in positions.items():
        by_start.setdefault((pos.start.line, pos.start.column), []).append(node)
        by_span.setdefault((pos.start.line, pos.start.column, pos.end.line, pos.end.column), []).append(node)

    after: Dict[cst.CSTNode, List[str]] = {}
    before: Dict[cst.CSTNode, List[str]] = {}
    body_start: Dict[cst.CSTNode, List[str]] = {}
    replace: Dict[cst.CSTNode, FixPlan] = {}
    for plan, offset in plans:
        if plan.kind == "insert_cast":
            line, col = plan.anchor
            key = (line - offset, col)
            statement = _statement_at(by_start.get(key, []), plan.placement)
            if statement is None:
                raise FixError(f"no statement at line {key[0]} to anchor the cast of `{plan.target}`")
            # The new line ends like its anchor's line, as on the lean path (lines.py): in a
            # file with mixed endings, libcst's default is only its first line's.
            newline = line_endings[_anchor_line(statement, plan.placement, positions) - 1] or module.default_newline
            code = f"{plan.target} = {plan.target}.float(){newline}"
            table = {"after": after, "before": before, "body_start": body_start}[plan.placement]
            if code not in table.setdefault(statement, []):
                table[statement].append(code)
        else:
            line, col, end_line, end_col = plan.span
            candidates = by_span.get((line - offset, col, end_line - offset, end_col), [])
            target = next((n for n in candidates if isinstance(n, cst.BaseExpression)), None)
            if target is None:
                raise FixError(f"no expression at line {line - offset} for the fix")
            replace[target] = plan

    editor = _Editor(module, after, before, body_start, replace)
    editor.add_import = any(p.kind == "wrap_model" for p, _ in plans) and not _imports_wrapper(module)
    new_module = wrapper.module.visit(editor)
    new_text = new_module.code
    try:
        ast.parse(new_text)
    except SyntaxError as error:  # never write code that does not parse
        raise FixError(f"the fixed code does not parse ({error.msg})") from None
    return new_text


def _anchor_line(statement, placement, positions) -> int:
    """The 1-based line whose ending an inserted cast copies: the anchor's last line after
    it, its first line before it, the first line of the body statement it goes before."""
    if placement == "after":
        return positions[statement].end.line
    if placement == "body_start" and isinstance(statement.body, cst.IndentedBlock) and statement.body.body:
        statements = statement.body.body
        index = 1 if isinstance(statement, cst.FunctionDef) and _is_docstring(statements[0]) else 0
        if index < len(statements):
            return positions[statements[index]].start.line
        return positions[statements[0]].end.line
    return positions[statement].start.line


def _statement_at(nodes, placement):
    for node in nodes:
        if placement == "body_start":
            if isinstance(node, _COMPOUND_WITH_BODY):
                return node
        elif isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return node
    return None


class _Editor(cst.CSTTransformer):
    add_import = False

    def __init__(self, module, after, before, body_start, replace):
        super().__init__()
        self.module = module
        self.after, self.before, self.body_start, self.replace = after, before, body_start, replace

    def _statement(self, line: str) -> cst.SimpleStatementLine:
        """A statement from one line of code with its line ending, which it keeps (the
        parser would give it the module's default)."""
        code = line.rstrip("\r\n")
        newline = line[len(code):] or self.module.default_newline
        statement = cst.parse_statement(code + newline, config=self.module.config_for_parsing)
        if newline == self.module.default_newline:
            return statement
        return statement.with_changes(
            trailing_whitespace=statement.trailing_whitespace.with_changes(newline=cst.Newline(value=newline)))

    def _rebuild(self, original_body, updated_body):
        out = []
        for original, updated in zip(original_body, updated_body):
            out.extend(self._statement(c) for c in self.before.get(original, ()))
            out.append(updated)
            out.extend(self._statement(c) for c in self.after.get(original, ()))
        return out

    def leave_Module(self, original_node, updated_node):
        body = self._rebuild(original_node.body, updated_node.body)
        if self.add_import:
            _insert_import(body, self._statement(WRAP_IMPORT))
        return updated_node.with_changes(body=body)

    def leave_IndentedBlock(self, original_node, updated_node):
        return updated_node.with_changes(body=self._rebuild(original_node.body, updated_node.body))

    def on_leave(self, original_node, updated_node):
        updated_node = super().on_leave(original_node, updated_node)
        if original_node in self.body_start and isinstance(updated_node, cst.CSTNode):
            updated_node = self._prepend(updated_node, self.body_start[original_node])
        if original_node in self.replace and isinstance(updated_node, cst.BaseExpression):
            updated_node = self._rewrite(updated_node, self.replace[original_node])
        return updated_node

    def _prepend(self, compound, codes):
        body = compound.body
        if not isinstance(body, cst.IndentedBlock):
            raise FixError("cannot insert a cast into a one-line block")
        statements = list(body.body)
        index = 0
        if isinstance(compound, cst.FunctionDef) and statements and _is_docstring(statements[0]):
            index = 1
        new = [self._statement(c) for c in codes]
        statements[index:index] = new
        return compound.with_changes(body=body.with_changes(body=statements))

    def _rewrite(self, expr, plan: FixPlan):
        if plan.kind == "wrap_model":
            args = [cst.Arg(expr)]
            if plan.image_keys:  # configured keys: the hook casts the entries the linter reads as images
                keys = cst.parse_expression("(" + "".join(f"{_literal(key)}, " for key in plan.image_keys).rstrip() + ")")
                args = [cst.Arg(expr, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                        cst.Arg(keys, keyword=cst.Name("image_keys"),
                                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                                      whitespace_after=cst.SimpleWhitespace("")))]
            return cst.Call(func=cst.Name("float32_inputs"), args=args)
        if plan.kind in ("append_float", "cast_to_weights"):
            if not isinstance(expr, (cst.Call, cst.Attribute, cst.Name, cst.Subscript)):
                expr = expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            if plan.kind == "cast_to_weights":
                dtype = cst.parse_expression(f"next({plan.target}.parameters()).dtype")
                return cst.Call(func=cst.Attribute(value=expr, attr=cst.Name("to")), args=[cst.Arg(dtype)])
            return cst.Call(func=cst.Attribute(value=expr, attr=cst.Name("float")))
        if plan.kind == "rewrite_cast" and isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            if expr.func.attr.value == "bfloat16":
                return expr.with_changes(func=expr.func.with_changes(attr=cst.Name("float")))
            args = []
            changed = False
            for arg in expr.args:
                value = arg.value
                if isinstance(value, cst.Attribute) and value.attr.value == "bfloat16":
                    arg = arg.with_changes(value=value.with_changes(attr=cst.Name("float32")))
                    changed = True
                args.append(arg)
            if changed:
                return expr.with_changes(args=args)
        raise FixError("the bf16 cast to rewrite was not found")


def _literal(key: str) -> str:
    """A double-quoted string literal (the common style), repr() when that cannot be plain."""
    return f'"{key}"' if key.isprintable() and not any(c in key for c in "\"\\") else repr(key)


def _is_docstring(statement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _imports_wrapper(module: cst.Module) -> bool:
    return "float32_inputs" in module.code and WRAP_IMPORT in module.code


# Where the new import goes, so that an isort-clean block (ruff I001, isort's defaults)
# stays clean: among the third-party imports, after the `import x` lines and in
# alphabetical order among the `from x import y` lines; in a section of its own after
# the standard library when there is no third-party section; at the top otherwise.
_WRAP_MODULE = "bf16lint.runtime"


def _top_module(statement) -> str:
    node = statement.body[0]
    if isinstance(node, cst.ImportFrom):
        if node.relative or node.module is None:
            return "."
        return _dotted(node.module)
    return _dotted(node.names[0].name)


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    return f"{_dotted(node.value)}.{node.attr.value}"


def _section(statement) -> str:
    import sys

    module = _top_module(statement)
    root = module.split(".")[0]
    if root == "__future__":
        return "future"
    if module == ".":
        return "local"
    stdlib = getattr(sys, "stdlib_module_names", None) or _STDLIB_FALLBACK
    return "stdlib" if root in stdlib else "third"


_STDLIB_FALLBACK = frozenset(
    "abc argparse ast asyncio base64 collections contextlib copy csv dataclasses datetime enum functools "
    "glob hashlib heapq importlib inspect io itertools json logging math multiprocessing operator os "
    "pathlib pickle random re shutil signal socket sqlite3 string subprocess sys tempfile threading time "
    "traceback types typing unittest urllib uuid warnings weakref zipfile".split()
)


def _is_import(statement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and isinstance(
        statement.body[0], (cst.Import, cst.ImportFrom))


def _insert_import(body, new) -> None:
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import(body[end]):
        end += 1
    block = list(range(start, end))
    if not block:
        body.insert(start, new)
        return
    third = [i for i in block if _section(body[i]) == "third"]
    if third:
        index = third[-1] + 1
        for i in third:
            statement = body[i].body[0]
            if isinstance(statement, cst.ImportFrom) and _top_module(body[i]).lower() > _WRAP_MODULE:
                index = i
                break
        if index == third[0]:
            # First of its section: it takes over the section's leading blank lines.
            new = new.with_changes(leading_lines=body[index].leading_lines)
            body[index] = body[index].with_changes(leading_lines=())
        body.insert(index, new)
        return
    earlier = [i for i in block if _section(body[i]) in ("future", "stdlib")]
    index = earlier[-1] + 1 if earlier else start
    if earlier:  # a new third-party section, after the standard library's
        new = new.with_changes(leading_lines=(cst.EmptyLine(),))
        if index < len(body) and index < end and not body[index].leading_lines:
            body[index] = body[index].with_changes(leading_lines=(cst.EmptyLine(),))
    body.insert(index, new)

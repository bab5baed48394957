"""Mutation testing: plant one small bug at a time in chosen modules and check that the tests fail.

    python -m tests.mutation.run [engine|loader|export ...] [--workers 2] [--json mutation-results.json]

Each mutant changes one operator or constant inside a function (``<`` to ``<=``, ``and`` to ``or``,
``+`` to ``-``, ``n`` to ``n + 1``, ``True`` to ``False``, ``not x`` to ``x``, a returned value to
None). It is written into a private copy of the checkout, and the target's tests run against it in a
forked child (subprocesses the tests start see the copy too). A mutant is *killed* when a test
fails or it runs past the timeout, and *survives* when every test passes; survivors are listed
with their line so that each can be read: some are equivalent (no test could tell them apart).
The score is killed / all. It takes minutes, so it runs by hand, not in CI.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds for one mutant's tests: a mutant that loops for ever is killed by it


@dataclass(frozen=True)
class Target:
    """Modules to mutate (all their functions, or those named) and the tests that should catch it."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()


TARGETS = {
    "engine": Target(("replay/core/engine.py",),
                     ("tests/test_engine.py", "tests/test_engine_queries.py", "tests/test_export_contract.py",
                      "tests/test_races.py", "tests/test_homestead.py", "tests/test_seed_facts.py")),
    # where the loader's errors point: the YAML reader's marks, and the file:line:column lines
    "loader": Target(("replay/racefile/yamlsafe.py", "replay/racefile/loader.py"),
                     ("tests/test_loader_errors.py", "tests/test_yamlsafe.py", "tests/test_cli.py"),
                     ("locate", "_walk_marks", "_at", "_problem_from_yaml_error", "_format", "parse", "read_text")),
    "export": Target(("replay/export/json_contract.py", "replay/export/text.py"),
                     ("tests/test_export_contract.py", "tests/test_export_text.py", "tests/test_cli.py")),
}

SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.And: ast.Or, ast.Or: ast.And,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    site: int  # the node's index in ast.walk order of the module
    variant: int  # which change of that node (a comparison can have several operators)
    line: int
    change: str


def _function_nodes(tree: ast.Module, names: tuple[str, ...]) -> list[ast.AST]:
    """Every node inside the bodies of the chosen functions (not their signatures or decorators)."""
    nodes: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (not names or node.name in names):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            nodes += [inner for statement in body for inner in ast.walk(statement)]
    return nodes


def _changes(node: ast.AST) -> list[str]:
    """The mutations one node allows, described; ``_apply`` makes them in the same order."""
    if isinstance(node, ast.Compare):
        return [f"{type(op).__name__} -> {SWAPS[type(op)].__name__}" for op in node.ops if type(op) in SWAPS]
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in SWAPS:
        return [f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}"]
    if isinstance(node, ast.BoolOp):
        return [f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}"]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ["not x -> x"]
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return [f"{node.value} -> {not node.value}"]
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return [f"{node.value!r} -> {node.value + 1!r}"]
    if isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        return ["return x -> return None"]
    return []


def _apply(node: ast.AST, variant: int) -> None:
    if isinstance(node, ast.Compare):
        positions = [i for i, op in enumerate(node.ops) if type(op) in SWAPS]
        node.ops[positions[variant]] = SWAPS[type(node.ops[positions[variant]])]()
    elif isinstance(node, (ast.BinOp, ast.AugAssign, ast.BoolOp)):
        node.op = SWAPS[type(node.op)]()
    elif isinstance(node, ast.UnaryOp):
        node.op = ast.UAdd()  # +x: truthiness kept as the value itself for bools and numbers
        node.operand = ast.Call(ast.Name("bool", ast.Load()), [node.operand], [])
    elif isinstance(node, ast.Constant):
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
    elif isinstance(node, ast.Return):
        node.value = ast.Constant(None)


def mutants(module: str, names: tuple[str, ...]) -> list[Mutant]:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    chosen = {id(node) for node in _function_nodes(tree, names)}
    found = []
    for site, node in enumerate(ast.walk(tree)):
        if id(node) in chosen:
            found += [Mutant(module, site, variant, getattr(node, "lineno", 0), change)
                      for variant, change in enumerate(_changes(node))]
    return found


def mutated_source(mutant: Mutant, tree: ast.Module) -> str:
    tree = copy.deepcopy(tree)
    node = next(n for i, n in enumerate(ast.walk(tree)) if i == mutant.site)
    _apply(node, mutant.variant)
    return ast.unparse(ast.fix_missing_locations(tree))


def _copy_checkout(into: Path) -> Path:
    shutil.copytree(ROOT, into, ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", "mutants"))
    return into


def _run_tests(checkout: Path, tests: tuple[str, ...]) -> bool:
    """True when the tests pass against ``checkout``: run in a forked child, which imports our
    code afresh from the copy (the parent never imports it)."""
    pid = os.fork()
    if pid == 0:
        os.chdir(checkout)
        # forget this checkout (``python -m`` put it on the path; this module's package is loaded)
        sys.path[:] = [str(checkout)] + [p for p in sys.path if p not in ("", str(ROOT))]
        for name in [n for n in sys.modules if n.split(".")[0] in ("tests", "replay", "widgets")]:
            del sys.modules[name]
        os.environ["PYTHONPATH"] = str(checkout)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        import pytest

        code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests])
        os._exit(int(code))
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return False


def _worker(job: tuple[int, list[Mutant], tuple[str, ...]]) -> list[tuple[Mutant, bool]]:
    index, batch, tests = job
    checkout = _copy_checkout(Path(tempfile.mkdtemp(prefix=f"race-replay-mutants-{index}-")) / "main")
    trees = {m.module: ast.parse((ROOT / m.module).read_text(encoding="utf-8")) for m in batch}
    results = []
    try:
        for mutant in batch:
            path = checkout / mutant.module
            original = path.read_text(encoding="utf-8")
            path.write_text(mutated_source(mutant, trees[mutant.module]), encoding="utf-8")
            try:
                results.append((mutant, not _run_tests(checkout, tests)))
            finally:
                path.write_text(original, encoding="utf-8")
    finally:
        shutil.rmtree(checkout.parent, ignore_errors=True)
    return results


def run_target(name: str, workers: int) -> dict:
    target = TARGETS[name]
    found = [m for module in target.modules for m in mutants(module, target.functions)]
    baseline = _copy_checkout(Path(tempfile.mkdtemp(prefix="race-replay-baseline-")) / "main")
    for module in target.modules:  # the unchanged modules as the mutants are written: through ast.unparse
        (baseline / module).write_text(ast.unparse(ast.parse((ROOT / module).read_text(encoding="utf-8"))))
    passes = _run_tests(baseline, target.tests)
    shutil.rmtree(baseline.parent, ignore_errors=True)
    if not passes:
        raise SystemExit(f"{name}: the tests fail without any mutant; fix them first")
    jobs = [(i, found[i::workers], target.tests) for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = [pair for batch in pool.map(_worker, jobs) for pair in batch]
    killed = sum(k for _, k in results)
    survivors = sorted((m for m, k in results if not k), key=lambda m: (m.module, m.line))
    return {"target": name, "mutants": len(results), "killed": killed,
            "score": killed / len(results) if results else None, "survivors": [asdict(m) for m in survivors]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help=f"any of {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, default=Path("mutation-results.json"))
    options = parser.parse_args(argv)
    unknown = [name for name in options.targets if name not in TARGETS]
    if unknown:
        parser.error(f"no target {', '.join(unknown)}; the targets are {', '.join(TARGETS)}")
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant must never run from a stale .pyc
    sys.dont_write_bytecode = True
    started, reports = time.perf_counter(), []
    for name in options.targets or list(TARGETS):
        report = run_target(name, options.workers)
        reports.append(report)
        print(f"{name}: {report['killed']}/{report['mutants']} killed ({report['score']:.0%})")
        for s in report["survivors"]:
            print(f"  survived  {s['module']}:{s['line']}  {s['change']}")
    options.json.write_text(json.dumps({"seconds": time.perf_counter() - started, "targets": reports}, indent=2))
    total = sum(r["mutants"] for r in reports)
    killed = sum(r["killed"] for r in reports)
    print(f"all: {killed}/{total} killed ({killed / total:.0%}) in {time.perf_counter() - started:.0f} s; "
          f"written to {options.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

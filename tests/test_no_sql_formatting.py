"""No statement is built by string formatting of a value (DESIGN.md, hard promise 1).

An AST scan of ``src/querynl``: every piece of text that reaches ``execute``, ``executemany``,
``exec_driver_sql``, ``copy``, ``Dialect.run`` or ``sa.text`` must be a constant, or be built
(f-string, ``+``, ``%``, ``.format``, ``.join``) only from constants and from the dialect's
quoting helpers (``quote``, ``qualified``, ``bound``, ``placeholder``...). Local variables are
followed to their assignments. Anything else must be on the allow-list below, with the reason
it is not a value. Values travel as parameters or COPY rows.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "querynl"

# Calls whose result is SQL text made of identifiers and keywords only.
SAFE_CALLS = {
    "quote",  # Dialect.quote: a quoted identifier
    "qualified",  # Dialect.qualified: a quoted, schema-qualified table name
    "bound",  # Dialect.bound: quoted identifiers escaped for a statement with parameters
    "placeholder",  # Dialect.placeholder: "?" or "%s"
    "insert_sql",  # Dialect.insert_sql: quoted names and placeholders
    "_total_line",  # Dialect._total_line: arithmetic over quoted column names
    "_constraint",  # PostgreSQLDialect._constraint: a quoted constraint name
    "_sequence",  # PostgreSQLDialect._sequence: pg_get_serial_sequence(), quoted by the server
    "scratch_table_sql",  # Dialect.scratch_table_sql: CREATE TEMPORARY TABLE of quoted names
    "drop_scratch_sql",  # Dialect.drop_scratch_sql: DROP of a quoted name
    "suspend_statements",  # Dialect.suspend_statements: SET/ALTER of quoted constraint names
    "resume_statements",  # Dialect.resume_statements: the same, back
    "len",  # a count of columns, e.g. to repeat a placeholder
    "text",  # sa.text(): a sink itself, checked on its own
}

# Calls that return SQL text when their own arguments (and receiver) are safe.
SAFE_WRAPPERS = {"join", "format", "str"}

# Sinks: (attribute or function name, index of the SQL argument).
SINKS = {
    "execute": 0,
    "executemany": 0,
    "exec_driver_sql": 0,
    "copy": 0,
    "text": 0,
    "run": 1,  # Dialect.run(conn, sql)
}

# Receivers whose ``execute`` is QueryNL's own API, not a database call.
NOT_SQL_RECEIVERS = {
    "tdg": "schema_design.test_data_generator.execute(prepared, engine, ...)",
    "executor": "InsertionExecutor.execute(plan)",
}

# (module, function, name): a name that carries SQL text the scan cannot follow, and why.
ALLOWED = {
    ("dialects/base.py", "run", "sql"): "the wrapper itself: its callers are scanned",
    ("sql_runner.py", "_run_one", "sql"): "SQL the user typed at the REPL prompt, run as typed",
    **{
        ("dialects/base.py", fn, "sql"): (
            "a statement from the dialect's own suspend/resume_statements (quoted names)"
        )
        for fn in ("suspend_foreign_key", "resume_foreign_key")
    },
    ("ledger.py", "_connect", "statement"): "the ledger's own constant DDL (_DDL)",
    ("dialects/mysql_load.py", "load", "sql"): (
        "the LOAD DATA statement MySQLDialect.bulk_insert builds from quoted names and one "
        "placeholder (the file name); the values travel in the file"
    ),
    ("dialects/base.py", "restore_foreign_key", "definition"): (
        "a foreign key's definition as the database wrote it (pg_get_constraintdef), added back "
        "unchanged"
    ),
    **{
        ("schema_design/row_removal.py", fn, "where"): (
            "a condition from _chunks: quoted key names, BETWEEN/IN and placeholders; the keys "
            "travel as parameters"
        )
        for fn in ("_count", "_select", "_delete")
    },
    ("schema_design/check_rows.py", "_rejected", "condition"): (
        "a CHECK constraint's text as the database reported it, judged over rows sent as parameters"
    ),
}


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.text}"


class Scanner(ast.NodeVisitor):
    def __init__(self, module: str, source: str) -> None:
        self.module = module
        self.source = source
        self.findings: list[Finding] = []
        self.scopes: list[ast.AST] = []
        self.sinks = 0
        self.allowed_used: set[tuple[str, str, str]] = set()
        self.built_for_driver: list[Finding] = []  # exec_driver_sql with SQL built from names

    # ---------------------------------------------------------------- scopes and sinks

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scopes.append(node)
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Module(self, node: ast.Module) -> None:
        self.module_node = node
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name) and receiver.id in NOT_SQL_RECEIVERS:
            name = None
        if isinstance(node.func, ast.Name) and name != "text":
            name = None  # database calls are methods; a bare execute() is QueryNL's own
        if name in SINKS:
            sql = _sql_argument(node, SINKS[name])
            if sql is not None:
                self.sinks += 1
                self.check(sql, node, set())
                verbatim = "no_parameters" in ast.dump(node)  # sent as is, like Dialect.run
                if name == "exec_driver_sql" and not self.constant(sql) and not verbatim:
                    text = ast.get_source_segment(self.source, node) or ""
                    self.built_for_driver.append(Finding(self.module, node.lineno, text))
        self.generic_visit(node)

    # ---------------------------------------------------------------- what is safe

    def check(self, expr: ast.AST, sink: ast.Call, seen: set[str]) -> None:
        for bad in self.unsafe_parts(expr, seen):
            self.findings.append(
                Finding(self.module, bad.lineno, ast.get_source_segment(self.source, bad) or "")
            )

    def unsafe_parts(self, expr: ast.AST, seen: set[str]) -> Iterator[ast.AST]:
        if isinstance(expr, ast.Constant):
            return
        if isinstance(expr, ast.JoinedStr):
            for value in expr.values:
                if isinstance(value, ast.FormattedValue):
                    yield from self.unsafe_parts(value.value, seen)
            return
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod, ast.Mult)):
            yield from self.unsafe_parts(expr.left, seen)
            yield from self.unsafe_parts(expr.right, seen)
            return
        if isinstance(expr, (ast.List, ast.Tuple)):
            for item in expr.elts:
                yield from self.unsafe_parts(item, seen)
            return
        if isinstance(expr, (ast.GeneratorExp, ast.ListComp)):
            yield from self.unsafe_parts(expr.elt, seen)
            return
        if isinstance(expr, ast.IfExp):
            yield from self.unsafe_parts(expr.body, seen)
            yield from self.unsafe_parts(expr.orelse, seen)
            return
        if isinstance(expr, ast.Call):
            name = _call_name(expr)
            if name in SAFE_CALLS or self.alias_of_safe_call(expr):
                return
            if name in SAFE_WRAPPERS:
                func = expr.func
                if isinstance(func, ast.Attribute):
                    yield from self.unsafe_parts(func.value, seen)
                for arg in [*expr.args, *(k.value for k in expr.keywords)]:
                    yield from self.unsafe_parts(arg, seen)
                return
            local = self.local_function(name)
            if local is not None:
                for ret in ast.walk(local):
                    if isinstance(ret, ast.Return) and ret.value is not None:
                        yield from self.unsafe_parts(ret.value, seen)
                return
            yield expr
            return
        if isinstance(expr, ast.Name):
            yield from self.follow(expr, seen)
            return
        yield expr

    def constant(self, expr: ast.AST) -> bool:
        """A literal string, or a name bound only to literal strings."""
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.Name):
            scope = self.scopes[-1] if self.scopes else None
            values = list(_assignments(scope, expr.id)) if scope is not None else []
            values = values or list(_module_assignments(self.module_node, expr.id))
            return bool(values) and all(isinstance(v, ast.Constant) for v in values)
        return False

    def alias_of_safe_call(self, call: ast.Call) -> bool:
        """``q = self.quote`` ... ``q(conn, name)``."""
        if not isinstance(call.func, ast.Name) or not self.scopes:
            return False
        values = list(_assignments(self.scopes[-1], call.func.id))
        return bool(values) and all(
            isinstance(v, ast.Attribute) and v.attr in SAFE_CALLS for v in values
        )

    def follow(self, name: ast.Name, seen: set[str]) -> Iterator[ast.AST]:
        """A variable is safe when every assignment to it (in the function, else in the
        module) is safe."""
        scope = self.scopes[-1] if self.scopes else None
        function = getattr(scope, "name", "")
        if (self.module, function, name.id) in ALLOWED:
            self.allowed_used.add((self.module, function, name.id))
            return
        if name.id in seen:
            return
        values = list(_assignments(scope, name.id)) if scope is not None else []
        if not values:
            values = list(_module_assignments(self.module_node, name.id))
        if not values:
            yield name
            return
        for value in values:
            yield from self.unsafe_parts(value, seen | {name.id})

    def local_function(self, name: str | None) -> ast.FunctionDef | None:
        if not self.scopes or name is None:
            return None
        for node in ast.walk(self.scopes[-1]):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name == name
                and node is not self.scopes[-1]
            ):
                return node
        return None


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _sql_argument(node: ast.Call, index: int) -> ast.AST | None:
    for keyword in node.keywords:
        if keyword.arg in ("statement", "sql", "query"):
            return keyword.value
    return node.args[index] if len(node.args) > index else None


def _assignments(scope: ast.AST, name: str) -> Iterator[ast.AST]:
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    yield node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            target = node.target
            if isinstance(target, ast.Name) and target.id == name and node.value is not None:
                yield node.value


def _module_assignments(module: ast.Module, name: str) -> Iterator[ast.AST]:
    for node in module.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value:
                yield node.value


def scan(path: Path) -> Scanner:
    source = path.read_text(encoding="utf-8")
    scanner = Scanner(path.relative_to(SRC).as_posix(), source)
    scanner.visit(ast.parse(source))
    return scanner


def test_no_value_is_formatted_into_sql() -> None:
    scanners = [scan(path) for path in sorted(SRC.rglob("*.py"))]
    findings = [f for s in scanners for f in s.findings]
    assert not findings, "SQL built from something other than quoted names:\n" + "\n".join(
        map(str, findings)
    )
    # not vacuous: the statements of the dialects, the synthesizer and introspection were seen
    assert sum(s.sinks for s in scanners) >= 20
    used = set().union(*(s.allowed_used for s in scanners))
    assert used == set(ALLOWED), f"stale allow-list entries: {set(ALLOWED) - used}"


def test_statements_with_names_go_through_run() -> None:
    """Dialect.quote gives a name exactly; ``exec_driver_sql`` always hands the driver a
    parameter list, so psycopg and PyMySQL would read a "%" in such a name as a placeholder.
    Statements built from names therefore go through ``Dialect.run`` (no parameters, sent
    verbatim) or, with parameters, through ``Dialect.bound``."""
    found = [f for path in sorted(SRC.rglob("*.py")) for f in scan(path).built_for_driver]
    assert not found, "use Dialect.run for these:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize(
    "code",
    [
        'def f(conn, v):\n    conn.exec_driver_sql(f"SELECT * FROM t WHERE a = {v}")\n',
        'def f(conn, v):\n    conn.execute(sa.text("SELECT %s" % v))\n',
        'def f(cur, v):\n    sql = "DELETE FROM t WHERE id = " + str(v)\n    cur.execute(sql)\n',
        'def f(cur, row):\n    cur.execute("INSERT INTO t VALUES ({})".format(row[0]))\n',
        'def f(self, conn, v):\n    self.run(conn, f"SET x = {v!r}")\n',
        'def f(cur, vs):\n    cur.copy("COPY t FROM STDIN " + ", ".join(vs))\n',
    ],
)
def test_the_scan_catches_formatted_values(tmp_path: Path, code: str) -> None:
    """The scan is not vacuous: each of these builds SQL from a value and is reported."""
    path = tmp_path / "bad.py"
    path.write_text(code, encoding="utf-8")
    scanner = Scanner("bad.py", code)
    scanner.visit(ast.parse(code))
    assert scanner.findings, code


def test_the_scan_accepts_quoted_names(tmp_path: Path) -> None:
    code = (
        "def f(self, conn, table, columns):\n"
        '    cols = ", ".join(self.quote(conn, c) for c in columns)\n'
        '    sql = f"SELECT {cols} FROM {self.qualified(conn, table)}"\n'
        "    return self.run(conn, sql)\n"
    )
    scanner = Scanner("good.py", code)
    scanner.visit(ast.parse(code))
    assert scanner.findings == []

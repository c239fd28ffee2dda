"""No import cycle between the modules of the four code packages (#25 §2).

grimp (import-linter's graph) counts every import, those inside functions and under TYPE_CHECKING included:
an import hidden in a function is still a circle. Each strongly connected component of the graph must be one
module; the failure names the modules of each circle and the imports that close it.
"""

from __future__ import annotations

import grimp

ROOTS = ("quanze.engine", "quanze.cli", "quanze.web", "quanze.register")


def _components(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of the graph's own modules (Tarjan, iterative)."""

    def ours(module: str) -> list[str]:
        return sorted(m for m in graph.find_modules_directly_imported_by(module) if m.startswith(ROOTS))

    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(ours(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(ours(nxt))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(sorted(component))
    return found


def _described(graph: grimp.ImportGraph, component: list[str]) -> str:
    members = set(component)
    lines = [" ⇄ ".join(component)]
    for module in component:
        for imported in sorted(graph.find_modules_directly_imported_by(module) & members):
            for detail in graph.get_import_details(importer=module, imported=imported):
                lines.append(f"  {module}:{detail['line_number']}  {detail['line_contents']}")
    return "\n".join(lines)


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph(*ROOTS)
    circles = [c for c in _components(graph) if len(c) > 1]
    assert not circles, "import cycles:\n" + "\n".join(_described(graph, c) for c in circles)


def test_a_circle_is_found_and_named():
    """The check itself: a graph with a circle fails with its modules and the closing imports."""
    graph = grimp.ImportGraph()
    for name in ("quanze.cli.a", "quanze.cli.b", "quanze.cli.c"):
        graph.add_module(name)
    graph.add_import(importer="quanze.cli.a", imported="quanze.cli.b", line_number=3, line_contents="from quanze.cli import b")
    graph.add_import(importer="quanze.cli.b", imported="quanze.cli.a", line_number=7, line_contents="from quanze.cli import a")
    graph.add_import(importer="quanze.cli.c", imported="quanze.cli.a", line_number=1, line_contents="from quanze.cli import a")
    circles = [c for c in _components(graph) if len(c) > 1]
    assert circles == [["quanze.cli.a", "quanze.cli.b"]]
    assert _described(graph, circles[0]).splitlines() == [
        "quanze.cli.a ⇄ quanze.cli.b",
        "  quanze.cli.a:3  from quanze.cli import b",
        "  quanze.cli.b:7  from quanze.cli import a",
    ]

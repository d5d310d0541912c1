"""The org tree of one tenant: parent, children, subtree, ancestors, pre-order, nearest match.

Built once from ``(unit id, parent id, sort key)`` rows (a request or job loads it once) and
shared by authz, the loaders, the management index and the bonus plan, so nobody walks
``parent_id`` by hand.

Conventions:
- Siblings (and roots) are ordered by their sort key; equal keys keep the order of the rows.
- A unit whose parent is ``None`` or not among the rows is a root.
- Every walk is cycle-safe: the database forbids a unit being its own parent, and the use case
  that moves a unit refuses cycles, but a walk must not loop even if one slipped in. Units on a
  cycle or below one (unreachable from a root) still appear once in the pre-order, after
  everything reachable from the roots.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar

K = TypeVar("K", bound=Hashable)


class SortKey(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


class OrgTree(Generic[K]):
    """An immutable org tree over unit ids of type ``K``."""

    __slots__ = ("_children", "_parent", "_position", "_preorder", "_roots")

    def __init__(self, rows: Iterable[tuple[K, K | None, SortKey]]) -> None:
        listed = list(rows)
        known = {unit for unit, _, _ in listed}
        # Python's sort is stable: equal keys keep the order of the rows.
        ordered = sorted(listed, key=lambda row: row[2])
        self._parent: dict[K, K | None] = {}
        self._children: dict[K, tuple[K, ...]] = {}
        grouped: dict[K, list[K]] = {}
        roots: list[K] = []
        for unit, parent, _ in ordered:
            if parent is not None and parent in known:
                self._parent[unit] = parent
                grouped.setdefault(parent, []).append(unit)
            else:
                self._parent[unit] = None
                roots.append(unit)
        self._children = {unit: tuple(kids) for unit, kids in grouped.items()}
        self._roots = tuple(roots)
        order: list[K] = []
        seen: set[K] = set()
        for root in roots:
            order.extend(self._walk(root, seen))
        # Left over: units on a cycle and those below one. Start at the top of the chain (a
        # unit on the cycle), so that each unit still comes before its children.
        for unit, _, _ in ordered:
            if unit not in seen:
                above = self.ancestors(unit)
                order.extend(self._walk(above[-1] if above else unit, seen))
        self._preorder = tuple(order)
        self._position = {unit: i for i, unit in enumerate(order)}

    def _walk(self, start: K, seen: set[K]) -> Iterator[K]:
        stack = [start]
        while stack:
            unit = stack.pop()
            if unit in seen:
                continue
            seen.add(unit)
            yield unit
            stack.extend(reversed(self._children.get(unit, ())))

    # --- single units --------------------------------------------------------------------

    def __contains__(self, unit: object) -> bool:
        return unit in self._parent

    def __len__(self) -> int:
        return len(self._parent)

    def parent(self, unit: K) -> K | None:
        """The parent unit; ``None`` for a root or a unit not in the tree."""
        return self._parent.get(unit)

    def children(self, unit: K | None) -> tuple[K, ...]:
        """The direct children by sort key; ``children(None)`` are the roots."""
        if unit is None:
            return self._roots
        return self._children.get(unit, ())

    @property
    def roots(self) -> tuple[K, ...]:
        return self._roots

    # --- walks ---------------------------------------------------------------------------

    def subtree(self, *roots: K) -> frozenset[K]:
        """The given units and everything below them. A given unit is always included, even
        one not in the tree (its subtree is then just itself)."""
        seen: set[K] = set()
        for root in roots:
            for _ in self._walk(root, seen):
                pass
        return frozenset(seen)

    def ancestors(self, unit: K) -> tuple[K, ...]:
        """The units above ``unit``, nearest first, ``unit`` itself excluded; each at most once
        (on a cycle the walk stops where it would repeat)."""
        found: list[K] = []
        seen = {unit}
        current = self._parent.get(unit)
        while current is not None and current not in seen:
            seen.add(current)
            found.append(current)
            current = self._parent.get(current)
        return tuple(found)

    def preorder(self) -> tuple[K, ...]:
        """Every unit exactly once: each before its children, siblings by sort key."""
        return self._preorder

    def position(self, unit: K) -> int | None:
        """The unit's index in ``preorder()``; ``None`` for a unit not in the tree."""
        return self._position.get(unit)

    def nearest(self, unit: K, predicate: Callable[[K], bool], *,
                include_self: bool = True) -> K | None:
        """The nearest unit, going up from ``unit``, that satisfies ``predicate``.

        ``unit`` itself is tried first unless ``include_self`` is false (the default is true:
        "the unit or its nearest ancestor", e.g. the department a person counts for).
        """
        if include_self and predicate(unit):
            return unit
        return next((a for a in self.ancestors(unit) if predicate(a)), None)


__all__ = ["OrgTree", "SortKey"]

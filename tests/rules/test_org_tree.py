"""The org tree: examples, cycles, and properties over random forests (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.org_tree import OrgTree

# 街道 -> 党政办 (-> 文秘组), 社区办; a second root 城管中队.
ROWS: list[tuple[str, str | None, tuple[int, str]]] = [
    ("street", None, (0, "S")),
    ("community", "street", (2, "S02")),
    ("office", "street", (1, "S01")),
    ("secretariat", "office", (0, "S0101")),
    ("patrol", None, (1, "P")),
]
TREE = OrgTree(ROWS)


def test_parent_children_and_roots() -> None:
    assert TREE.parent("secretariat") == "office"
    assert TREE.parent("street") is None
    assert TREE.parent("unknown") is None
    assert TREE.children("street") == ("office", "community")  # by sort key
    assert TREE.children("secretariat") == ()
    assert TREE.children(None) == TREE.roots == ("street", "patrol")
    assert len(TREE) == 5
    assert "office" in TREE
    assert "unknown" not in TREE


def test_subtree_includes_its_roots() -> None:
    assert TREE.subtree("office") == {"office", "secretariat"}
    assert TREE.subtree("office", "patrol") == {"office", "secretariat", "patrol"}
    assert TREE.subtree("street") == {"street", "office", "secretariat", "community"}
    assert TREE.subtree() == frozenset()
    assert TREE.subtree("unknown") == {"unknown"}


def test_ancestors_nearest_first_without_self() -> None:
    assert TREE.ancestors("secretariat") == ("office", "street")
    assert TREE.ancestors("street") == ()
    assert TREE.ancestors("unknown") == ()


def test_preorder_and_positions() -> None:
    assert TREE.preorder() == ("street", "office", "secretariat", "community", "patrol")
    assert TREE.position("community") == 3
    assert TREE.position("unknown") is None


def test_nearest_matching_unit_self_included_by_default() -> None:
    rated = {"office", "street"}
    assert TREE.nearest("secretariat", rated.__contains__) == "office"
    assert TREE.nearest("office", rated.__contains__) == "office"
    assert TREE.nearest("office", rated.__contains__, include_self=False) == "street"
    assert TREE.nearest("patrol", rated.__contains__) is None


def test_equal_sort_keys_keep_row_order() -> None:
    tree = OrgTree([("b", None, 0), ("a", None, 0), ("c", None, -1)])
    assert tree.roots == ("c", "b", "a")


def test_unknown_parent_makes_a_root() -> None:
    tree = OrgTree([("a", "gone", 0), ("b", "a", 0)])
    assert tree.roots == ("a",)
    assert tree.parent("a") is None
    assert tree.subtree("a") == {"a", "b"}


def test_cycles_do_not_loop() -> None:
    # a <-> b form a cycle, c hangs below b, r is a proper root.
    tree = OrgTree([("c", "b", 0), ("a", "b", 1), ("b", "a", 2), ("r", None, 3)])
    assert tree.roots == ("r",)
    assert tree.ancestors("a") == ("b",)
    assert tree.ancestors("c") == ("b", "a")
    assert tree.subtree("a") == {"a", "b", "c"}
    assert tree.nearest("c", lambda u: u == "z") is None
    order = tree.preorder()
    assert sorted(order) == ["a", "b", "c", "r"]
    assert order[0] == "r"
    assert order.index("b") < order.index("c")  # a unit before its children, off the cycle


# --- properties over random forests ---------------------------------------------------------


@st.composite
def forests(draw: st.DrawFn) -> OrgTree[int]:
    """A random forest: unit i's parent is None or a unit < i; sort keys are random."""
    size = draw(st.integers(0, 40))
    rows: list[tuple[int, int | None, int]] = []
    for unit in range(size):
        parent = draw(st.none() | st.integers(0, unit - 1)) if unit else None
        rows.append((unit, parent, draw(st.integers(0, 5))))
    order = draw(st.permutations(rows))
    return OrgTree(order)


@st.composite
def graphs(draw: st.DrawFn) -> OrgTree[int]:
    """Any parent function, cycles included."""
    size = draw(st.integers(1, 30))
    rows = [(unit, draw(st.none() | st.integers(0, size)), draw(st.integers(0, 5)))
            for unit in range(size)]
    return OrgTree(rows)


@settings(max_examples=200)
@given(forests())
def test_subtree_and_ancestors_are_dual(tree: OrgTree[int]) -> None:
    units = tree.preorder()
    for a in units:
        below = tree.subtree(a)
        for b in units:
            assert (b in below) == (b == a or a in tree.ancestors(b))


@settings(max_examples=200)
@given(forests())
def test_parent_of_each_child(tree: OrgTree[int]) -> None:
    for unit in [None, *tree.preorder()]:
        for child in tree.children(unit):
            assert tree.parent(child) == unit
    for unit in tree.preorder():
        parent = tree.parent(unit)
        assert unit in tree.children(parent)
        assert tree.ancestors(unit)[:1] == ((parent,) if parent is not None else ())


@settings(max_examples=200)
@given(forests())
def test_preorder_visits_each_unit_once_parents_first(tree: OrgTree[int]) -> None:
    order = tree.preorder()
    assert len(order) == len(set(order)) == len(tree)
    for i, unit in enumerate(order):
        assert tree.position(unit) == i
        parent = tree.parent(unit)
        if parent is not None:
            assert order.index(parent) < i
        # a subtree is one contiguous run of the pre-order
        size = len(tree.subtree(unit))
        assert set(order[i:i + size]) == tree.subtree(unit)


@settings(max_examples=200)
@given(forests(), st.sets(st.integers(0, 40)))
def test_nearest_is_the_first_match_on_the_way_up(tree: OrgTree[int], marked: set[int]) -> None:
    for unit in tree.preorder():
        path = (unit, *tree.ancestors(unit))
        expected = next((u for u in path if u in marked), None)
        assert tree.nearest(unit, marked.__contains__) == expected
        above = next((u for u in path[1:] if u in marked), None)
        assert tree.nearest(unit, marked.__contains__, include_self=False) == above


@settings(max_examples=200)
@given(graphs())
def test_any_parent_function_terminates_and_covers_every_unit(tree: OrgTree[int]) -> None:
    order = tree.preorder()
    assert sorted(order) == sorted(set(order)) == list(range(len(tree)))
    for unit in order:
        up = tree.ancestors(unit)
        assert unit not in up
        assert len(up) == len(set(up))
        assert unit in tree.subtree(unit)
        for a in up:
            assert unit in tree.subtree(a)

"""Which items of two texts nothing on the other side accounts for: a maximum bipartite
matching over the values (keys) the items may stand for."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence
from typing import Protocol


class Keyed(Protocol):
    """An item to match: the keys it matches by, and whether it must be matched (hard)."""

    @property
    def keys(self) -> frozenset[str]: ...

    @property
    def hard(self) -> bool: ...


def match(left: Sequence[Keyed], right: Sequence[Keyed]) -> tuple[list[int], list[int]]:
    """Hard items on each side that nothing on the other side accounts for.

    A maximum bipartite matching of hard items to hard items first (an item may have several
    readings: "5:30" is 05:30 or 17:30), then of the leftovers to soft items; hard items of
    the right still unmatched then take the first unused soft left item with a common key.
    """
    hard_left = [i for i, item in enumerate(left) if item.hard]
    owner = Matching(left, right, [j for j, r in enumerate(right) if r.hard])
    matched_left = {i for i in hard_left if owner.add(i)}
    soft = Matching(left, right, [j for j, r in enumerate(right) if not r.hard])
    matched_left |= {i for i in hard_left if i not in matched_left and soft.add(i)}
    # Hard right items still unmatched may be accounted for by soft left items.
    firsts = FirstFree([i for i, item in enumerate(left) if not item.hard], left)
    lost_right = [
        j
        for j, r in enumerate(right)
        if r.hard and j not in owner.owner and firsts.take(r.keys) is None
    ]
    lost_left = [i for i in hard_left if i not in matched_left]
    return lost_left, lost_right


class Matching:
    """A bipartite matching of left items to the ``allowed`` right items, grown one left item
    at a time by an augmenting path (Kuhn's algorithm), so a matched item stays matched.

    Items meet through their keys (a value "n:99" links every 99 on both sides): a search
    takes a free right item of one of its keys when there is one, else walks through the
    keys, visiting each key and each right item at most once, with an explicit stack (a
    transcript with a value said a thousand times makes no deep recursion). A search that
    fails changes nothing, so what it visited stays visited until the next success.
    """

    def __init__(self, left: Sequence[Keyed], right: Sequence[Keyed], allowed: Sequence[int]):
        self.keys = [sorted(item.keys) for item in left]
        self.rights = FirstFree(allowed, right)  # matched rights never become free again
        self.bucket = self.rights.bucket  # key -> allowed right items with it, in order
        self.owner: dict[int, int] = {}  # right index -> left index
        self.seen_keys: set[str] = set()
        self.seen_rights: set[int] = set()

    def _free(self, i: int) -> int | None:
        """The first untaken right item of one of left item ``i``'s keys."""
        return self.rights.first(self.keys[i], self.owner)

    def _taken(self, i: int) -> Iterator[int]:
        """Right items, all taken, reachable from left item ``i`` through unvisited keys."""
        for k in self.keys[i]:
            if k in self.seen_keys:
                continue
            self.seen_keys.add(k)
            for j in self.bucket.get(k, ()):
                if j not in self.seen_rights:
                    self.seen_rights.add(j)
                    yield j

    def add(self, i: int) -> bool:
        """Match left item ``i``, moving others along an augmenting path; False if none."""
        j = self._free(i)
        if j is not None:
            self.owner[j] = i
            return True
        came: dict[int, tuple[int, int]] = {}  # left -> (its right, the left that reached it)
        stack = [(i, self._taken(i))]
        while stack:
            node, rights = stack[-1]
            for j in rights:
                nxt = self.owner[j]
                came[nxt] = (j, node)
                free = self._free(nxt)
                if free is not None:
                    self.owner[free] = nxt
                    while nxt != i:  # each left on the path passes its right back
                        j, node = came[nxt]
                        self.owner[j] = node
                        nxt = node
                    self.seen_keys.clear()
                    self.seen_rights.clear()
                    return True
                stack.append((nxt, self._taken(nxt)))
                break
            else:
                stack.pop()
        return False


class FirstFree:
    """The first (by index) unused item among ``candidates`` that shares a key, each used once."""

    def __init__(self, candidates: Sequence[int], items: Sequence[Keyed]) -> None:
        self.bucket: dict[str, list[int]] = {}
        for i in candidates:
            for k in items[i].keys:
                self.bucket.setdefault(k, []).append(i)
        self.next = dict.fromkeys(self.bucket, 0)
        self.used: set[int] = set()

    def first(self, keys: Iterable[str], taken: Container[int]) -> int | None:
        """The first candidate with one of ``keys`` that is not in ``taken`` (which only ever
        grows: a position passed over in a key's bucket is never looked at again)."""
        best = None
        for k in keys:
            items = self.bucket.get(k)
            if items is None:
                continue
            n = self.next[k]
            while n < len(items) and items[n] in taken:
                n += 1
            self.next[k] = n
            if n < len(items) and (best is None or items[n] < best):
                best = items[n]
        return best

    def take(self, keys: Iterable[str]) -> int | None:
        """The first unused candidate with one of ``keys``, now used."""
        best = self.first(keys, self.used)
        if best is not None:
            self.used.add(best)
        return best

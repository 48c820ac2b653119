"""The heap is part of a path's state.

Models, instances and containers are Python objects shared by every name that holds them,
so an alias sees a cast (`net = model; net.bfloat16()`). What must not happen is that a
branch sees the writes of a branch it did not take. Every write to an object that existed
before a branch goes through a Trail (as in a Prolog machine): a branch's writes are taken
off the trail and undone before the other branch runs, and the two paths' writes are
joined when the paths meet. The cost is what a branch wrote, not the size of the heap.

Objects are numbered as they are made (values.py), and a mark remembers the next number:
an object a path made after the mark exists on that path only, so its writes are neither
undone nor joined (a model built and cast inside a loop stays cast after it).
"""
from __future__ import annotations

from typing import Callable, Dict, List, Tuple

from .values import serial_now

ABSENT = object()  # a key or attribute a path never set
_FIELD = object()  # the slot is an attribute of the object, not a key of one of its dicts

Slot = Tuple[int, object, object]  # (id(obj), dict attribute name or _FIELD, key or attribute)


class Trail:
    def __init__(self):
        self._log: List[tuple] = []  # (obj, where, key, old value)
        # The heap's version for call summaries: writes (and undos) to objects made before
        # `watch` (the start of the running module-level statement) are counted.
        self.watch = 0
        self.old_writes = 0

    def mark(self) -> Tuple[int, int]:
        return len(self._log), serial_now()

    # ------------------------------------------------------------------ writes
    def set_attr(self, obj, name: str, value) -> None:
        """`obj.name = value` for a field of an abstract object (a model's dtype)."""
        self._log.append((obj, _FIELD, name, getattr(obj, name)))
        setattr(obj, name, value)
        self._count(obj)

    def set_item(self, obj, where: str, key, value) -> None:
        """`getattr(obj, where)[key] = value` (an instance attribute, a container item)."""
        mapping = getattr(obj, where)
        self._log.append((obj, where, key, mapping.get(key, ABSENT)))
        mapping[key] = value
        self._count(obj)

    # ------------------------------------------------------------------ paths
    def take(self, mark) -> Dict[Slot, tuple]:
        """The writes made since `mark` to objects older than it, as slot -> (obj, where,
        key, value now); those objects are put back as they were at `mark`."""
        writes: Dict[Slot, tuple] = {}
        length, born = mark
        for obj, where, key, _old in self._log[length:]:
            slot = (id(obj), where, key)
            if slot not in writes and _older(obj, born):
                writes[slot] = (obj, where, key, _read(obj, where, key))
        self.undo(mark)
        return writes

    def undo(self, mark) -> None:
        length, born = mark
        while len(self._log) > length:
            obj, where, key, old = self._log.pop()
            if _older(obj, born):
                _write(obj, where, key, old)
                self._count(obj)

    def replay(self, writes: Dict[Slot, tuple]) -> None:
        """Make one path's writes again (logged, so an enclosing branch can undo them)."""
        for obj, where, key, value in writes.values():
            self._put(obj, where, key, value)

    def meet(self, paths: List[Dict[Slot, tuple]], join: Callable[[object, object, object, object], object]) -> None:
        """Paths from one state meet: each slot any of them wrote gets the join of its
        value on every path (a path that did not write it has the value from before)."""
        slots: Dict[Slot, tuple] = {}
        for writes in paths:
            for slot, entry in writes.items():
                slots.setdefault(slot, entry)
        for slot, (obj, where, key, _value) in slots.items():
            before = _read(obj, where, key)
            values = [writes[slot][3] if slot in writes else before for writes in paths]
            joined = values[0]
            for value in values[1:]:
                joined = joined if value is joined else join(obj, key, joined, value)
            if joined is not before:
                self._put(obj, where, key, joined)

    def _count(self, obj) -> None:
        if getattr(obj, "_born", -1) < self.watch:
            self.old_writes += 1

    def wrote_older_than(self, mark, born: int) -> bool:
        """Whether the writes logged since `mark` touch an object made before `born`."""
        return any(getattr(entry[0], "_born", -1) < born for entry in self._log[mark[0]:])

    def _put(self, obj, where, key, value) -> None:
        if where is _FIELD:
            self.set_attr(obj, key, value)
        elif value is ABSENT:
            self._log.append((obj, where, key, getattr(obj, where).get(key, ABSENT)))
            getattr(obj, where).pop(key, None)
            self._count(obj)
        else:
            self.set_item(obj, where, key, value)


def _older(obj, born: int) -> bool:
    return getattr(obj, "_born", -1) < born


def _read(obj, where, key):
    if where is _FIELD:
        return getattr(obj, key)
    return getattr(obj, where).get(key, ABSENT)


def _write(obj, where, key, value) -> None:
    if where is _FIELD:
        setattr(obj, key, value)
    elif value is ABSENT:
        getattr(obj, where).pop(key, None)
    else:
        getattr(obj, where)[key] = value


def differing_fields(paths: List[Dict[Slot, tuple]], field: str):
    """The objects whose `field` (an attribute slot) ends different on the paths given."""
    out = {}
    for writes in paths:
        for (oid, where, key), (obj, _w, _k, _v) in writes.items():
            if where is _FIELD and key == field:
                out[oid] = obj
    for oid, obj in out.items():
        now = getattr(obj, field)
        values = {writes[(oid, _FIELD, field)][3] if (oid, _FIELD, field) in writes else now for writes in paths}
        if len(values) > 1:
            yield obj, values

"""The registry's specs agree with what they point at: a process spec's id and internal flag are those of its
processor class, and every collection name is unique (issue 15)."""

import importlib

import pytest

from omgevingsgeo.registry import build_registry

REGISTRY = build_registry()


def _processor(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("pid", sorted(REGISTRY.processes(include_internal=True)))
def test_a_process_spec_agrees_with_its_processor(pid):
    spec = REGISTRY.processes(include_internal=True)[pid]
    cls = _processor(spec.processor)
    assert cls.PROCESS_METADATA["id"] == pid
    assert bool(getattr(cls, "only_internal", False)) == spec.internal


def test_every_collection_name_is_unique():
    names = [s.name for s in REGISTRY.layers.values()]
    names += [r.name for a in REGISTRY.analyses.values() for r in a.results]
    assert len(names) == len(set(names))

"""Row and Battle have their own ``__init__`` (a frozen dataclass's sets each field through
``object.__setattr__``, twice as slow; the engine makes hundreds a lap): it must stay the dataclass's."""

from __future__ import annotations

import inspect
from dataclasses import MISSING, FrozenInstanceError, fields

import pytest

from replay.core.battles import Battle
from replay.core.state import Row


@pytest.mark.parametrize("cls", [Row, Battle])
def test_init_takes_every_field_in_order_with_its_default(cls):
    parameters = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in fields(cls)]
    for parameter, f in zip(parameters, fields(cls), strict=True):
        assert parameter.default == (inspect.Parameter.empty if f.default is MISSING else f.default), f.name


@pytest.mark.parametrize("cls", [Row, Battle])
def test_init_sets_every_field_and_the_value_stays_frozen(cls):
    values = {f.name: object() for f in fields(cls)}
    made = cls(**values)
    assert all(getattr(made, name) is value for name, value in values.items())
    assert made == cls(**values) and hash(made) == hash(cls(**values))
    with pytest.raises(FrozenInstanceError):
        made.pos = 1

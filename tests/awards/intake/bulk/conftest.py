"""The sample edition's import context, for every bulk test that asks for ``context``."""

import pytest

from tests.awards.intake.samples import make_context


@pytest.fixture
def context():
    return make_context()

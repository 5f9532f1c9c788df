from __future__ import annotations

import pytest

from tests.published.fixture import Published, build_published


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return build_published(tmp_path_factory.mktemp("published"))

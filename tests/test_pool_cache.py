"""Value pools kept on disk: a later process reads the very pool an earlier one built, without
importing Faker; a damaged or unwritable cache is ignored and the pool built as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from querynl.generators import pools

# prints the pool and whether Faker had to be imported for it
SHOW = (
    "import json, sys; from querynl.generators.pools import Pools; "
    "pool = Pools({locale!r}).get({name!r}); "
    "print(json.dumps({{'pool': pool, 'faker': 'faker' in sys.modules}}))"
)


def pool_in_new_process(cache: Path, locale: str = "de_DE", name: str = "city") -> dict:
    env = {**os.environ, "QUERYNL_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", SHOW.format(locale=locale, name=name)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


def cached_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("pools/*/*/*.json"))


def test_a_later_process_reads_the_pool_without_faker(tmp_path: Path) -> None:
    first = pool_in_new_process(tmp_path)
    assert first["faker"] is True and len(first["pool"]) > 100
    files = cached_files(tmp_path)
    assert [(f.parent.name, f.name) for f in files] == [("de_DE", "city.json")]
    second = pool_in_new_process(tmp_path)
    assert second == {"pool": first["pool"], "faker": False}


def test_the_cached_pool_is_the_built_pool(tmp_path: Path) -> None:
    built = pools.distinct(pools.POOL_SOURCES["street_name"](_seeded("en_US")))
    assert pool_in_new_process(tmp_path, "en_US", "street_name")["pool"] == built
    assert pool_in_new_process(tmp_path, "en_US", "street_name")["pool"] == built


def test_a_damaged_file_is_built_again_and_replaced(tmp_path: Path) -> None:
    good = pool_in_new_process(tmp_path)["pool"]
    (path,) = cached_files(tmp_path)
    for damage in ("[1, 2", "[]", '{"city": 1}', "[1, 2, 3]"):
        path.write_text(damage, encoding="utf-8")
        again = pool_in_new_process(tmp_path)
        assert again == {"pool": good, "faker": True}, damage
        assert json.loads(path.read_text(encoding="utf-8")) == good


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    found = pool_in_new_process(blocked)
    assert found["faker"] is True and len(found["pool"]) > 100
    assert blocked.is_file()


def test_the_cache_folder_follows_the_environment(tmp_path: Path) -> None:
    assert pools.cache_dir({"QUERYNL_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert pools.cache_dir({}).name == "querynl"


def _seeded(locale: str):
    fake = pools.faker_for(locale)
    fake.seed_instance(pools._FAKER_SEED)
    return fake

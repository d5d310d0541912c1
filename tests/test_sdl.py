"""The checked-in SDL is the contract with the units' portals: drift fails the build."""

from schema import SDL_PATH, export_sdl


def test_checked_in_sdl_matches_the_schema() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == export_sdl(), (
        "schema/schema.graphql is stale: run `python -m jixiao export-sdl` and commit it")

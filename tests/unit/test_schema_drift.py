from backend.schema.schema import SCHEMA_FILE, schema_sdl


def test_committed_schema_matches_the_code():
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "schema.graphql is out of date: run `wms export-schema` and commit it"
    )

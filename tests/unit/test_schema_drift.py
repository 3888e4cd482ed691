from backend.schema.schema import SCHEMA_FILE, schema_sdl


def test_committed_schema_matches_the_code():
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "schema.graphql is out of date: run `wms export-schema` and commit it"
    )


def test_every_error_code_is_in_the_schema_enum_with_its_category_type():
    from backend.core.errors import ErrorCategory, ErrorCode, category_of
    from backend.schema.errors import error_type_for

    sdl = schema_sdl()
    enum_body = sdl.split("enum ErrorCode {", 1)[1].split("}", 1)[0].split()
    assert enum_body == [code.value for code in ErrorCode]
    assert error_type_for(ErrorCode.WRONG_BIN).__name__ == "StockError"
    assert category_of(ErrorCode.SCAN_EMPTY) is ErrorCategory.SCAN
    assert category_of(ErrorCode.PO_NOT_FOUND) is ErrorCategory.NOT_FOUND
    assert {category_of(code) for code in ErrorCode} == set(ErrorCategory)


def test_identical_documents_are_validated_once():
    import asyncio

    from strawberry.extensions import validation_cache

    from backend.schema.schema import DOCUMENT_CACHE_SIZE, build_schema

    schema = build_schema()
    cache = validation_cache._get_validate_cache(DOCUMENT_CACHE_SIZE)
    document = "query Twice { __typename }"
    before = cache.cache_info()
    for _ in range(3):
        result = asyncio.run(schema.execute(document))
        assert result.errors is None
    after = cache.cache_info()
    assert after.misses - before.misses == 1
    assert after.hits - before.hits == 2


def test_depth_limit_still_refuses_deep_documents_from_the_cache():
    import asyncio

    from backend.schema.schema import build_schema

    schema = build_schema(max_depth=2)
    deep = "{ myTasks { edges { node { id } } } }"
    for _ in range(2):
        result = asyncio.run(schema.execute(deep))
        assert result.errors and "exceeds maximum operation depth" in result.errors[0].message

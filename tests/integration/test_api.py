"""Health, metrics, query limits, connections and the scan resolver over HTTP."""

from __future__ import annotations


async def test_healthz_checks_the_database(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_metrics_are_prometheus_text(client):
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    assert 'wms_http_requests_total{method="GET",path="/healthz",status="200"}' in response.text


async def test_deep_queries_are_refused(settings, template):
    import dataclasses

    import httpx

    from backend.app import create_app
    from tests.integration.conftest import GQL

    shallow = create_app(dataclasses.replace(settings, max_query_depth=2))
    async with (
        shallow.router.lifespan_context(shallow),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=shallow), base_url="http://wms.test"
        ) as http,
    ):
        gql = GQL(http, template.credentials)
        token = await gql.token("viewer")
        ok = await gql("{ me { warehouse { code } } }", token=token)
        assert "errors" not in ok
        body = await gql("{ me { warehouse { zones { code } } } }", token=token)
        assert "depth" in body["errors"][0]["message"].lower()


async def test_costly_queries_are_refused(gql):
    token = await gql.token("viewer")
    page = "stock(first: 500) { edges { node { item { sku name gtins } bin { code zone { code } } } } }"
    query = "{ " + " ".join(f"a{n}: {page}" for n in range(10)) + " }"
    body = await gql(query, token=token)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_connections_page_by_cursor(gql):
    token = await gql.token("viewer")
    query = """query($after: String) { bins(first: 7, after: $after) {
      edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    for _ in range(3):
        page = (await gql(query, {"after": after}, token=token))["data"]["bins"]
        seen += [e["node"]["code"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 21
    body = await gql(query, {"after": "not-a-cursor"}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_stock_by_item_bin_lot_and_status(gql):
    token = await gql.token("viewer")
    first = (
        await gql(
            "{ stock(first: 1) { edges { node { item { sku } bin { code } status onHand } } } }",
            token=token,
        )
    )["data"]["stock"]["edges"][0]["node"]
    body = await gql(
        """query($sku: String!, $bin: String!) { stock(itemSku: $sku, binCode: $bin, status: "AVAILABLE") {
        edges { node { onHand item { sku } } } } }""",
        {"sku": first["item"]["sku"], "bin": first["bin"]["code"]},
        token=token,
    )
    nodes = [e["node"] for e in body["data"]["stock"]["edges"]]
    assert nodes and all(n["item"]["sku"] == first["item"]["sku"] for n in nodes)


async def test_resolve_scan_names_items_and_refuses_garbage(gql):
    token = await gql.token("picker")
    query = """query($c: String!) { resolveScan(code: $c) { __typename
      ... on ScanResolved { kind normalized label lot } ... on UserError { code } } }"""
    body = await gql(query, {"c": "]C1010871234010000617261231\x1d10LOT-7"}, token=token)
    resolved = body["data"]["resolveScan"]
    assert resolved["kind"] == "GS1" and resolved["lot"] == "LOT-7"
    assert resolved["label"].startswith("SKU-10000")
    body = await gql(query, {"c": "0871234010000X"}, token=token)
    assert body["data"]["resolveScan"]["__typename"] == "ScanError"

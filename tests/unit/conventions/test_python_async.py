"""Python async: which event-loop library the code calls."""

from __future__ import annotations

from tests.unit.conventions.python_observe import sites


def test_calls_into_each_library_and_test_markers_vote() -> None:
    code = """
    import asyncio
    import anyio
    import pytest
    from trio import sleep

    async def fetch_all(urls):
        await asyncio.gather(*(fetch(u) for u in urls))
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(fetch, urls[0])
        await sleep(1)

    @pytest.mark.anyio
    async def test_fetch():
        await fetch_all([])
    """
    assert sites("async", code) == [
        ("library", "asyncio", "asyncio.gather"),
        ("library", "anyio", "anyio.create_task_group"),
        ("library", "trio", "sleep"),
        ("library", "anyio", "pytest.mark.anyio"),
    ]


def test_async_syntax_alone_and_lookalike_names_do_not_vote() -> None:
    code = """
    import mylib as asyncio_helpers

    async def fetch(client, url):
        response = await client.get(url)
        await asyncio_helpers.sleep(1)
        return response
    """
    assert sites("async", code) == []

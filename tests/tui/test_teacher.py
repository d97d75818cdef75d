"""The teacher's view of a served class: refused without the printed token; with it, a plain
page that refreshes itself and shows each tab's student, lesson and answers."""

from __future__ import annotations

import asyncio
import re

import pytest

from core.explain.notes import explain_snapshot, grade, load_lesson
from core.session import Session

from .serving import served
from .test_browser import CHROMIUM, CHROMIUM_ARGS
from .test_serve import read_until

aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")

DEADLINE = 2.0     # seconds from an answer given to the teacher seeing it


def teacher_url(output: list[str]) -> str:
    """The teacher's view's address, as the server printed it."""
    return re.search(r"(http://\S+/teacher\?token=\S+)", "".join(output)).group(1)


def right_sign(section: str) -> str:
    """The right answer to ``section``'s first question (a sign) on its lesson's preset."""
    lesson = load_lesson(section)
    with Session(lesson.preset) as session:
        live = explain_snapshot(section, session.snapshot(), session.preset).live_values()
    return next(sign for sign in "+-" if grade(lesson.questions[0], sign, live).correct)


async def test_the_teachers_view_needs_the_token(tmp_path) -> None:
    """/teacher without the token, or with another, is refused (403) and shows no tab."""
    with served(["xor"], cwd=tmp_path) as server:
        url = teacher_url(server.output)
        async with aiohttp.ClientSession() as http:
            for wrong in (url.split("?")[0], url + "x", url.split("?")[0] + "?token="):
                async with http.get(wrong) as response:
                    assert response.status == 403
                    assert "the token" in await response.text()
            async with http.get(url) as response:
                assert response.status == 200 and "No tab is open yet" in await response.text()


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
async def test_the_teacher_sees_a_right_answer_within_two_seconds(tmp_path) -> None:
    """A student named Ada answers lesson 1.0's first question right; the teacher's page in
    Chromium shows her row with that question right within two seconds, refreshing itself
    (it asks for nothing but itself: no script, no font, no other host)."""
    sync_api = pytest.importorskip("playwright.async_api")
    answer = right_sign("1.0")
    with served([], cwd=tmp_path) as server:
        url = teacher_url(server.output)
        async with (sync_api.async_playwright() as playwright,
                    aiohttp.ClientSession() as http,
                    http.ws_connect(server.url + "/ws?width=120&height=40&name=Ada") as ws):
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)
            try:
                page = await browser.new_page()
                asked: list[str] = []
                page.on("request", lambda request: asked.append(request.url))
                await read_until(ws, "1.0")
                await page.goto(url)
                await page.wait_for_function(
                    "/Ada[\\s\\S]*slope-sign: not yet/.test(document.body.innerText)",
                    timeout=20_000)
                for key in ["a", answer, "\r"]:
                    await ws.send_json(["stdin", key])
                await read_until(ws, "Right")
                await page.wait_for_function(      # a deadline: the page refreshes itself
                    "/Ada[\\s\\S]*slope-sign: right/.test(document.body.innerText)",
                    timeout=DEADLINE * 1000)
                assert asked == [server.url + "/teacher?" + url.split("?")[1]] * len(asked)
            finally:
                await browser.close()


async def test_a_student_types_a_name_when_the_tab_opens(tmp_path) -> None:
    """A tab opened without ``?name=`` asks for one: the name typed there is the teacher's
    row for it; a tab that skips the question (escape) is "tab N"; a tab opened with a name
    is not asked and keys go straight to the app."""
    with served(["xor"], cwd=tmp_path) as server:
        url = teacher_url(server.output)
        tab = server.url + "/ws?width=100&height=30"
        async with (aiohttp.ClientSession() as http,
                    http.ws_connect(tab) as grace, http.ws_connect(tab) as skipper,
                    http.ws_connect(tab + "&name=Ada") as ada):
            await read_until(grace, "Your name")
            await read_until(skipper, "Your name")
            await grace.send_json(["stdin", "Grace Hopper\r"])
            await skipper.send_json(["stdin", "\x1b"])
            await ada.send_json(["stdin", "n"])
            seen_by_ada = await read_until(ada, "epoch 1")
            text = ""
            for _ in range(40):
                async with http.get(url) as response:
                    text = await response.text()
                if "Grace Hopper" in text and "tab 2" in text:
                    break
                await asyncio.sleep(0.1)
            assert "Grace Hopper" in text and "tab 2" in text and "Ada" in text
            assert "Your name" not in seen_by_ada

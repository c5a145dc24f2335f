"""Chinese must render as Chinese: on every page the text of the heading and the body is
drawn with a CJK font (Chromium's own report of the platform fonts used, over CDP) and two
different characters draw differently (boxes — .notdef — all look alike).  Screenshots of
every page at 1280 and 390 px wide are kept in test-artifacts/screens/."""

from __future__ import annotations

import pytest

PAGES = {
    "home": "/", "issues": "/issues", "issue": "/issues/1", "review": "/issues/1/review", "source": "/issues/1/source",
    "document": None, "search": "/search?q=粮食", "library": "/library", "tasks": "/tasks", "task": None,
    "unit": None, "qa": "/qa", "upload": "/upload", "export": "/export", "api": "/api",
}
CJK_FAMILIES = ("CJK", "WenQuanYi", "Droid Sans Fallback", "AR PL", "Source Han", "Hei", "Song", "Ming")

# Draw two characters in the element's font on a canvas; equal pixels mean both are the
# missing-glyph box.
_DISTINCT = """([el, a, b, c, d]) => {
  const font = getComputedStyle(el).fontSize + ' ' + getComputedStyle(el).fontFamily;
  const draw = (ch) => { const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const x = c.getContext('2d'); x.font = font.replace(/^[0-9.]+px/, '48px'); x.fillText(ch, 4, 52);
    return Array.from(x.getImageData(0, 0, 64, 64).data).join(','); };
  return draw(a) !== draw(b) && draw(c) !== draw(d);
}"""


def _urls(live_server, page) -> dict[str, str]:
    import json
    import urllib.request

    def get(path):
        with urllib.request.urlopen(live_server + path) as r:
            return json.loads(r.read())

    doc = next(d for d in get("/api/v1/documents?limit=50")["items"] if d["present"])
    task = get("/api/v1/tasks?limit=1")["items"][0]
    number = next(i for i, t in enumerate(get(f"/api/v1/documents/{task['doc_id']}/tasks"), 1) if t["text"] == task["text"])
    unit = get("/api/v1/units")[0]["name"]
    return {**PAGES, "document": f"/documents/{doc['id']}", "task": f"/tasks/{task['doc_id']}/{number}",
            "unit": f"/units/{unit}"}


def _platform_fonts(page, selector: str) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    # the text node under the element is what is drawn
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in fonts]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_renders_chinese_with_a_cjk_font(browser, live_server, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    screens = artifacts / "screens"
    screens.mkdir(exist_ok=True)
    try:
        for name, path in _urls(live_server, page).items():
            response = page.goto(live_server + path)
            assert response.status == 200, f"{name} {path}: {response.status}"
            heading = page.locator("h1").first
            handle = heading.element_handle()
            assert page.evaluate(_DISTINCT, [handle, "政", "府", "公", "报"]), f"{name}: Chinese drawn as boxes"
            # the check can fail: characters no font has (private use) are the same box
            assert not page.evaluate(_DISTINCT, [handle, "\ue000", "\ue001", "\ue002", "\ue003"])
            families = _platform_fonts(page, "h1")
            assert any(key in f for f in families for key in CJK_FAMILIES), f"{name}: no CJK font used ({families})"
            page.screenshot(path=str(screens / f"{name}-{width}.png"), full_page=True)
    finally:
        context.close()
    assert len(list(screens.glob(f"*-{width}.png"))) >= len(PAGES)

"""Screenshots of the running Odoo for the README (headless Chromium over CDP).

    bin/qc run &        # serve the demo database first
    .venv/bin/python bin/screenshot.py docs/complaint_form.png /odoo/quality-complaints/1

Logs in as admin/admin, opens each path and saves a PNG once the page is idle.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="qc_shot_")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        self.proc = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                "--remote-debugging-port=9333",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json") as resp:
                    pages = [p for p in json.load(resp) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.msg_id = 0

    def call(self, method, **params):
        self.msg_id += 1
        self.ws.send(json.dumps({"id": self.msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.msg_id:
                return msg.get("result", {})

    def goto(self, url, settle=4.0):
        self.call("Page.navigate", url=url)
        time.sleep(settle)

    def js(self, expression):
        return self.call("Runtime.evaluate", expression=expression, awaitPromise=True)

    def shot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        self.proc.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("path")
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--db", default="quality_complaint")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--click", help="CSS selector to click before the shot")
    parser.add_argument(
        "--select",
        nargs=2,
        metavar=("SELECTOR", "INDEX"),
        help="choose option INDEX of the <select> SELECTOR (a change event follows) "
        "before the shot",
    )
    parser.add_argument("--settle", type=float, default=5, help="seconds to let the page load")
    args = parser.parse_args()
    browser = Browser(args.width, args.height)
    try:
        browser.goto(f"{args.base}/web/login", settle=2)
        params = {"db": args.db, "login": args.login, "password": args.password}
        browser.js(
            "fetch('/web/session/authenticate', {method: 'POST', "
            "headers: {'Content-Type': 'application/json'}, "
            f"body: JSON.stringify({{jsonrpc: '2.0', params: {json.dumps(params)}}})}})"
            ".then(r => r.status)"
        )
        time.sleep(3)
        browser.goto(f"{args.base}{args.path}", settle=args.settle)
        if args.click:
            browser.js(f"document.querySelector({json.dumps(args.click)}).click()")
            time.sleep(2)
        if args.select:
            selector, index = args.select
            browser.js(
                f"(s => {{ s.selectedIndex = {int(index)}; "
                "s.dispatchEvent(new Event('change', {bubbles: true})); })"
                f"(document.querySelector({json.dumps(selector)}))"
            )
            time.sleep(2)
        browser.shot(args.output)
    finally:
        browser.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Browser check of the team page: headless Chromium (Debian's `chromium`) against a running `carnation serve`.

Seeds the demo county into a fresh CARNATION_HOME, plans a day, issues one team's link, starts `carnation serve` on a
free loopback port, and drives Chromium over the DevTools protocol (--remote-debugging-pipe, so Python's standard
library is enough):
  - the team page opens through the link, in zh-CN, with its stops;
  - the first <audio> element loads its recording (readyState, duration) and its src answers 200 audio/wav; nothing plays;
  - accessibility on the rendered page: a label for every visible control, names for buttons, links and audio,
    text contrast (WCAG AA) from the computed colours, tap targets of at least 44 x 44 CSS px at a phone's width;
  - an outcome recorded through the form is stored (read back with `carnation visits list`);
  - the service worker takes control, the page opens offline, and an outcome entered offline is sent once when the
    network returns (and stored);
  - a screenshot is saved (its path is printed).
Stops its own server and browser. Exit status 0 when every check passed, 1 otherwise, 2 when it could not run.

Usage: ops/browser-check.py [--bin PATH] [--screenshot PATH] [--keep]
"""
import argparse, base64, fcntl, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAY = "2026-12-01"  # a Tuesday: every demo team works


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CDP:
    """The DevTools protocol over Chromium's pipe: NUL-separated JSON on fds 3 (to the browser) and 4 (from it)."""

    def __init__(self, chromium, profile, width, height):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The child must see the read end as fd 3 and the write end as fd 4 (moved high first, so neither
        # overwrites the other), and keep exactly those open.
        def remap():
            r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-background-networking", "--mute-audio", "--remote-debugging-pipe", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=remap)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.counter = 0
        self.session = None

    def _read(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=True, timeout=60, **params):
        self.counter += 1
        message = {"id": self.counter, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self.counter:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def open_page(self):
        target = self.call("Target.createTarget", session=False, url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", session=False, targetId=target, flatten=True)["sessionId"]

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"script failed: {r['exceptionDetails'].get('text')} {r.get('result', {}).get('description', '')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expression, seconds=20):
        end = time.time() + seconds
        while time.time() < end:
            try:
                if self.js(expression):
                    return True
            except RuntimeError:
                pass  # the page is between documents
            time.sleep(0.25)
        return False

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)


# Accessibility of the rendered page, measured in the browser (the same rules as Tests/WebTests/AccessibilityTests.swift,
# which checks the HTML and CSS text): returns a list of problems.
A11Y = r"""
(() => {
  const problems = [];
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' "' + (e.textContent || e.value || '').trim().slice(0, 20) + '"';
  if (document.documentElement.lang !== 'zh-CN') problems.push('html lang is ' + document.documentElement.lang);
  if (!document.title.trim()) problems.push('no title');
  for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
    if (!named) problems.push('no label: ' + describe(e));
  }
  for (const e of document.querySelectorAll('button, a[href], audio, summary')) {
    const name = (e.getAttribute('aria-label') || e.textContent || '').trim();
    if (!name) problems.push('no accessible name: ' + describe(e));
  }
  // Tap targets: what a finger presses. A radio or checkbox counts through its label.
  const targets = document.querySelectorAll('a[href], button, summary, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), label.choice');
  for (const e of targets) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) problems.push(`tap target ${Math.round(r.width)}x${Math.round(r.height)} px: ` + describe(e));
  }
  for (const e of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const label = e.closest('label');
    if (!label) problems.push('radio without an enclosing label: ' + describe(e));
  }
  // Contrast of every element that holds text, against the first opaque background behind it.
  const rgb = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(x => parseFloat(x)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = e => { for (let n = e; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor);
    if (c && c.a >= 0.99) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  let measured = 0;
  for (const e of document.querySelectorAll('body *')) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !visible(e)) continue;
    const s = getComputedStyle(e);
    const fg = rgb(s.color), bg = background(e);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    measured++;
    if (ratio < needed) problems.push(`contrast ${ratio.toFixed(2)} < ${needed}: ` + describe(e));
    if (size < 16) problems.push(`text of ${size}px (under 16 px is hard to read at arm's length): ` + describe(e));
  }
  if (measured < 10) problems.push('only ' + measured + ' text elements measured');
  return problems;
})()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.environ.get("CARNATION_BIN"), help="the carnation binary (default $CARNATION_BIN)")
    parser.add_argument("--screenshot", default=os.path.join(ROOT, "var", "browser-check", "team-page.png"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary CARNATION_HOME")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not args.bin or not os.access(args.bin, os.X_OK):
        print("browser-check: give the carnation binary with --bin or CARNATION_BIN", file=sys.stderr)
        return 2
    if not chromium:
        print("browser-check: chromium not installed (ops/install-deps.sh installs it)", file=sys.stderr)
        return 2

    home = tempfile.mkdtemp(prefix="carnation-browser-")
    env = dict(os.environ, CARNATION_HOME=home, CARNATION_TODAY=DAY,
               CARNATION_CONTENT=os.environ.get("CARNATION_CONTENT", os.path.join(ROOT, "content")),
               CARNATION_TEMPLATES=os.environ.get("CARNATION_TEMPLATES", os.path.join(ROOT, "Templates")))
    env.pop("CARNATION_CONFIG", None)

    def carnation(*argv, json_out=False):
        out = subprocess.run([args.bin, *argv] + (["--json"] if json_out else []), cwd=home, env=env,
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise RuntimeError(f"carnation {' '.join(argv)} failed ({out.returncode}): {out.stderr.strip()[-800:]}")
        return json.loads(out.stdout) if json_out else out.stdout

    failures, passed = [], [0]

    def check(ok, what, detail=""):
        print(("ok   " if ok else "FAIL ") + what + (f" ({detail})" if detail and not ok else ""), flush=True)
        if ok:
            passed[0] += 1
        else:
            failures.append(what)

    server = browser = None
    try:
        carnation("demo", "seed", "--residents", "400")
        carnation("visits", "plan", "--date", DAY, "--days", "1", "--time-limit", "1")
        # The team with the most stops that day.
        teams = [t["name"] for t in carnation("teams", "list", json_out=True)]
        best, best_stops = None, 0
        for t in teams:
            day = carnation("visits", "list", "--team", t, "--date", DAY, "--format", "json")
            n = len(json.loads(day).get("stops", []))
            if n > best_stops:
                best, best_stops = t, n
        if not best or best_stops < 2:
            print(f"browser-check: the demo plan for {DAY} gave no team two stops", file=sys.stderr)
            return 2
        link = carnation("serve", "link", best, "--date", DAY, json_out=True)
        token = link["url"].rsplit("/team/", 1)[1]

        port = free_port()
        log = open(os.path.join(home, "serve.log"), "w")
        server = subprocess.Popen([args.bin, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-dispatch"], cwd=home, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except Exception:
                if server.poll() is not None:
                    raise RuntimeError(f"carnation serve exited with {server.returncode}; see {home}/serve.log")
                time.sleep(0.2)
        else:
            raise RuntimeError("carnation serve did not answer /healthz within 30 s")
        url = f"{base}/team/{token}"

        browser = CDP(chromium, os.path.join(home, "chromium"), 412, 915)
        browser.open_page()
        # A small phone's screen: the tap targets and the screenshot are measured at this width.
        browser.call("Emulation.setDeviceMetricsOverride", width=412, height=915, deviceScaleFactor=1, mobile=True)
        browser.call("Page.enable")
        browser.call("Network.enable")
        browser.call("Page.navigate", url=url)
        check(browser.wait_for("document.readyState === 'complete' && document.querySelectorAll('section.stop').length > 0"),
              f"the team page of {best} opens through its link with its stops")
        check(browser.js("document.documentElement.lang") == "zh-CN", "the page's language is zh-CN")
        stops = browser.js("document.querySelectorAll('section.stop').length")
        check(stops == best_stops, f"the page shows the {best_stops} planned stops", f"shows {stops}")

        # Audio: the element loads its recording; nothing is played.
        src = browser.js("(() => { const a = document.querySelector('audio[src]'); return a && a.getAttribute('src'); })()")
        check(bool(src), "the page has an audio explainer")
        if src:
            check(browser.wait_for("(() => { const a = document.querySelector('audio[src]'); return a.readyState >= 1 && a.duration > 0; })()", 60),
                  "the audio element loads its recording (readyState ≥ 1, duration > 0)")
            check(browser.js("document.querySelector('audio[src]').paused") is True, "nothing is playing")
            answer = urllib.request.urlopen(base + src, timeout=60)
            body = answer.read()
            check(answer.status == 200 and answer.headers.get("Content-Type") == "audio/wav" and body[:4] == b"RIFF" and len(body) > 8000,
                  "its src answers 200 with a WAV recording", f"{answer.status} {answer.headers.get('Content-Type')} {len(body)} bytes")

        problems = browser.js(A11Y)
        check(problems == [], "accessibility: labels, names, contrast, text size and tap targets ≥ 44 px at 412 px width",
              "; ".join(problems[:8]) + (f" … and {len(problems) - 8} more" if len(problems) > 8 else ""))

        # An outcome through the form, online.
        first = browser.js("""(() => { const f = document.querySelectorAll('form.outcome')[0];
            f.querySelector('input[value=done]').click(); f.querySelector('textarea, input[name=note]').value = '浏览器检查';
            f.querySelector('button[type=submit]').click(); return f.dataset.visit; })()""")
        check(browser.wait_for(f"document.querySelector('form.outcome[data-visit=\"{first}\"] .saved').textContent.includes('已上传')"),
              f"the outcome for visit {first} is sent from the form")

        def status_of(visit):
            day = json.loads(carnation("visits", "list", "--team", best, "--date", DAY, "--format", "json"))
            for stop in day.get("stops", []):
                for person in stop.get("people", []):
                    for task in person.get("tasks", []):
                        if str(task.get("visit")) == str(visit):
                            return task.get("status")
            return None
        stored = status_of(first)
        check(stored == "已上门", f"visit {first} is stored as done (已上门)", f"stored: {stored}")

        # Offline: the service worker keeps the page; an outcome entered offline is sent once when the signal returns.
        check(browser.wait_for("navigator.serviceWorker.getRegistration('/team/').then(r => !!(r && r.active))", 30),
              "the service worker is active")
        browser.call("Page.reload")
        check(browser.wait_for("document.readyState === 'complete' && !!navigator.serviceWorker.controller"),
              "the service worker controls the page after a reload")
        browser.call("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1, uploadThroughput=-1)
        browser.call("Page.reload")
        check(browser.wait_for("document.readyState === 'complete' && document.querySelectorAll('section.stop').length > 0"),
              "the page opens with no network")
        second = browser.js("""(() => { const f = document.querySelectorAll('form.outcome')[1];
            f.querySelector('input[value="not-home"]').click(); f.querySelector('button[type=submit]').click(); return f.dataset.visit; })()""")
        check(browser.wait_for("JSON.parse(localStorage.getItem('carnation-outcomes') || '[]').length === 1", 5),
              f"the outcome for visit {second} waits on the phone while offline")
        check(status_of(second) == "待上门", f"visit {second} is not stored yet")
        browser.call("Network.emulateNetworkConditions", offline=False, latency=0, downloadThroughput=-1, uploadThroughput=-1)
        browser.js("window.dispatchEvent(new Event('online'))")
        check(browser.wait_for("JSON.parse(localStorage.getItem('carnation-outcomes') || '[]').length === 0", 40),
              "the queued outcome is sent when the network returns")
        stored = status_of(second)
        check(stored == "无人在家", f"visit {second} is stored as not-home (无人在家)", f"stored: {stored}")

        browser.call("Page.navigate", url=url)
        browser.wait_for("document.readyState === 'complete' && document.querySelectorAll('section.stop').length > 0")
        shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(shot))
        check(os.path.getsize(args.screenshot) > 10000, "screenshot saved")
        print(f"screenshot: {os.path.abspath(args.screenshot)}")
    except Exception as e:  # a step that could not run is a failure of the check, with its reason
        check(False, "the check ran to the end", str(e))
    finally:
        if browser:
            browser.close()
        if server:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if args.keep or failures:
            print(f"browser-check: kept {home} (serve.log is there)")
        else:
            shutil.rmtree(home, ignore_errors=True)
    print(f"browser-check: {passed[0]} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Lore's whole learning-review journey in a real browser (Debian's chromium).

Once per viewport (laptop 1366x850, phone 390x844), against a server of its
own: sign in, create an incident, add timeline entries with reflections,
remove one added by mistake, import a pasted table, write and publish a review, rank its follow-ups on a
ballot as three people, change a follow-up's status and read its history,
rename the practice and see the new name everywhere afterwards.

Every page is checked once per viewport when it first loads: console errors,
uncaught exceptions, Content-Security-Policy violations, a non-empty <title>,
exactly one <h1>, an accessible label on every visible form field and, on a
phone, no horizontal scrolling. Failures are collected, not fatal, so one
run lists all of them; a step of the journey that cannot be done stops that
viewport's journey (later steps depend on it).

Usage (normally through Tests/e2e/browser.sh, which starts the servers):
  browser.py --admin 'email|password' --member 'Name|email|password' ...
             laptop=http://127.0.0.1:PORT phone=http://127.0.0.1:PORT
"""
import argparse
import contextlib
import datetime as dt
import os
import re
import sys
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect, sync_playwright

VIEWPORTS = {"laptop": {"width": 1366, "height": 850}, "phone": {"width": 390, "height": 844}}
ACTION_TIMEOUT_MS = 10_000
NEW_PRACTICE = "Learning review"
OLD_PRACTICE = re.compile(r"post-?mortem", re.I)

# Runs before any page script: collects CSP violations where the page check
# can read them (the console message alone does not say which directive).
CSP_LISTENER = """
window.__loreCSP = [];
document.addEventListener('securitypolicyviolation', e => window.__loreCSP.push(
  `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber} ${e.sample || ''}`.trim()));
"""

# The per-page checks, in the page. Returns plain data for Python to judge.
PAGE_FACTS = r"""
(phone) => {
  const snippet = el => {
    const html = el.outerHTML.replace(/\s+/g, ' ');
    return html.length > 220 ? html.slice(0, 220) + '…' : html;
  };
  const where = el => {
    const form = el.closest('form');
    const section = el.closest('section[id]');
    return [section ? `section#${section.id}` : '', form ? `form[action="${form.getAttribute('action')}"]` : ''].filter(Boolean).join(' ');
  };
  const shown = el => {
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && el.getClientRects().length > 0;
  };
  // A label's own words, without the text of the controls inside it.
  const words = el => {
    const c = el.cloneNode(true);
    c.querySelectorAll('input, select, textarea, button').forEach(n => n.remove());
    return c.textContent.trim();
  };
  const unlabelled = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && ['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    if (!shown(el)) continue;
    const aria = (el.getAttribute('aria-label') || '').trim();
    const by = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
      .map(id => document.getElementById(id)).filter(n => n && n.textContent.trim());
    // el.labels follows HTML's rules: a <label> wrapping two controls labels
    // only the first, a <label for> must name an existing id.
    const labels = [...(el.labels || [])].filter(l => words(l));
    if (!aria && !by.length && !labels.length) unlabelled.push({where: where(el), html: snippet(el)});
  }
  let overflow = null;
  if (phone) {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width + 1) {
      // The outermost elements sticking out, skipping what sits inside a
      // box that scrolls or clips on its own.
      const clipped = el => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== 'visible') return true;
        }
        return false;
      };
      const culprits = [];
      const seen = new Set();
      const blame = (el, right, what) => {
        if (seen.has(el)) return;
        seen.add(el);
        culprits.push({where: where(el) || (el.closest('[id]') ? '#' + el.closest('[id]').id : ''),
                       html: snippet(el), right: Math.round(right), what});
      };
      // The right edge of what an element may fill (its content box).
      const inner = el => {
        const r = el.getBoundingClientRect(), s = getComputedStyle(el);
        return r.right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth);
      };
      // Blamed: an element wider than its parent's content box (the page
      // scrolls by that much plus the padding around it), or past the
      // viewport, where the parent itself still fits.
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        const parent = el.parentElement;
        if (!r.width || clipped(el) || parent.getBoundingClientRect().right > width + 1) continue;
        if (r.right > inner(parent) + 1 || r.right > width + 1) blame(el, r.right, `a box ${Math.round(r.width)}px wide in ${Math.round(inner(parent) - parent.getBoundingClientRect().left)}px`);
      }
      // Text that does not wrap (a long word, a URL, a UUID) sticks out of
      // a box that itself fits: blame the element holding the text.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const parent = t.parentElement;
        if (!t.textContent.trim() || clipped(parent) || parent.getBoundingClientRect().right > width + 1) continue;
        const range = document.createRange();
        range.selectNodeContents(t);
        const r = range.getBoundingClientRect();
        if (r.right > inner(parent) + 1 || r.right > width + 1) blame(parent, r.right, `text "${t.textContent.trim().slice(0, 60)}"`);
      }
      culprits.sort((a, b) => b.right - a.right).splice(6);
      overflow = {scrollWidth, width, culprits};
    }
  }
  const footer = document.querySelector('footer');
  const csp = window.__loreCSP || [];
  window.__loreCSP = [];
  return {
    title: document.title.trim(),
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim().replace(/\s+/g, ' ')),
    unlabelled, overflow, csp,
    footer: footer ? footer.textContent.trim() : '',
    text: document.body.innerText,
  };
}
"""


class JourneyFailed(Exception):
    """A step of the journey could not be done; the rest of it is skipped."""


class Run:
    """One viewport's journey: its pages, what they showed and what failed."""

    def __init__(self, browser, viewport, base):
        self.browser, self.viewport, self.base = browser, viewport, base
        self.size = VIEWPORTS[viewport]
        self.failures = []  # (url, what)
        self.visited = set()
        self.practice = None  # the practice name every later page must use
        self.contexts = []

    # --- reporting ---------------------------------------------------------

    def fail(self, url, what):
        self.failures.append((url, what))

    @contextlib.contextmanager
    def step(self, name, page):
        try:
            yield
        except Exception as e:  # a timeout or failed expectation: say where
            self.keep_evidence(page, name)
            first = str(e).strip().splitlines()
            self.fail(page.url, f"journey step '{name}' failed: {first[0] if first else type(e).__name__}"
                      + ("".join("\n      " + l for l in first[1:6]) if len(first) > 1 else ""))
            raise JourneyFailed(name) from e

    def keep_evidence(self, page, name):
        """With LORE_BROWSER_ARTIFACTS=dir, keeps the failed step's page."""
        folder = os.environ.get("LORE_BROWSER_ARTIFACTS")
        if not folder:
            return
        os.makedirs(folder, exist_ok=True)
        stem = os.path.join(folder, f"{self.viewport}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}")
        with contextlib.suppress(Exception):
            page.screenshot(path=stem + ".png", full_page=True)
            with open(stem + ".html", "w") as f:
                f.write(page.content())
        print(f"   (kept {stem}.png and .html)", file=sys.stderr)

    # --- browser plumbing --------------------------------------------------

    def new_page(self, who):
        context = self.browser.new_context(viewport=self.size, base_url=self.base, timezone_id="UTC", locale="en-GB")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
        context.add_init_script(CSP_LISTENER)
        self.contexts.append(context)
        page = context.new_page()

        def console(msg):
            text = msg.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                self.fail(page.url, f"CSP violation (console, {who}): {text}")
            elif msg.type == "error":
                loc = msg.location or {}
                self.fail(page.url, f"console error ({who}): {text}"
                          + (f" [{loc.get('url')}:{loc.get('lineNumber')}]" if loc.get("url") else ""))

        page.on("console", console)
        page.on("pageerror", lambda err: self.fail(page.url, f"uncaught exception ({who}): {err}"))
        return page

    def close(self):
        for c in self.contexts:
            c.close()

    def goto(self, page, path, expect_status=200):
        response = page.goto(path)
        self.loaded(page, response, f"GET {path}", expect_status)

    def submit(self, page, button, what, expect_status=200):
        """Clicks a button (or link) that loads a new page, and checks that page."""
        with page.expect_navigation() as nav:
            button.click()
        self.loaded(page, nav.value, what, expect_status)

    def loaded(self, page, response, what, expect_status):
        page.wait_for_load_state("load")
        # A page rendered straight from a form post (a preview, a form shown
        # again with its errors) is a page of its own, not the GET page at
        # the same address.
        method = response.request.method if response else "GET"
        self.check(page, ("POST " if method == "POST" else "") + page.url.split("#")[0])
        status = response.status if response else 0
        if status != expect_status:
            errors = page.locator(".error, .field-error").all_inner_texts()
            raise AssertionError(f"{what}: HTTP {status} (expected {expect_status}) at {page.url}"
                                 + (f"; the page says: {' | '.join(errors)}" if errors else ""))

    # --- the checks on every page -----------------------------------------

    def check(self, page, key):
        first_visit = key not in self.visited
        if not first_visit and self.practice is None:
            return
        self.visited.add(key)
        url = page.url
        facts = page.evaluate(PAGE_FACTS, self.viewport == "phone")
        if first_visit:
            for v in facts["csp"]:
                self.fail(url, f"CSP violation (securitypolicyviolation event): {v}")
            if not facts["title"]:
                self.fail(url, "the page has no <title> text")
            if len(facts["h1"]) != 1:
                self.fail(url, f"expected exactly one <h1>, found {len(facts['h1'])}: {facts['h1']}")
            for f in facts["unlabelled"]:
                self.fail(url, f"form field without an accessible label ({f['where']}): {f['html']}")
            o = facts["overflow"]
            if o:
                culprits = "".join(f"\n      {c['what']} sticks out to x={c['right']} ({c['where']}): {c['html']}" for c in o["culprits"])
                self.fail(url, f"scrolls sideways: scrollWidth {o['scrollWidth']} > innerWidth {o['width']}{culprits}")
        if self.practice:
            plural = self.practice if self.practice.endswith("s") else self.practice + "s"
            if f"{plural} with Lore" not in facts["footer"]:
                self.fail(url, f"practice name: footer says {facts['footer']!r}, expected '{plural} with Lore'")
            # Settings lists every standard name as a choice and the audit
            # log records the rename itself; elsewhere the old word is gone.
            if urlsplit(url).path not in ("/settings", "/settings/audit"):
                for m in OLD_PRACTICE.finditer(facts["text"]):
                    around = facts["text"][max(0, m.start() - 60):m.end() + 40].replace("\n", " ⏎ ")
                    self.fail(url, f"practice name: still says {m.group(0)!r} after renaming it to {self.practice!r}: …{around}…")

    # --- the journey -------------------------------------------------------

    def journey(self, admin, members):
        tag = self.viewport
        now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
        detected, resolved = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
        local = lambda t: t.strftime("%Y-%m-%dT%H:%M")  # datetime-local, the user's zone is UTC
        a = self.new_page("admin")

        with self.step("1. sign in as the admin", a):
            self.goto(a, "/")  # redirected to the sign-in form
            expect(a).to_have_url(re.compile(r"/signin"))
            self.sign_in(a, admin)
            expect(a).to_have_url(re.compile(r"/dashboard$"))

        nav = a.locator("header nav")
        with self.step("catalog: add a team and a service in Settings", a):
            self.submit(a, nav.get_by_role("link", name="Settings"), "open Settings")
            teams = a.locator("section#teams form")
            teams.get_by_label("Name").fill("Payments")
            self.submit(a, teams.get_by_role("button", name="Add team"), "add a team")
            add = a.locator('form[action="/settings/services"]')
            add.get_by_label("Name").fill("Checkout API")
            add.get_by_label("Owning team").select_option(label="Payments")
            add.get_by_label("Paged teams").select_option(label="Payments")
            self.submit(a, add.get_by_role("button", name="Add service"), "add a service")
            expect(a.locator("section#services")).to_contain_text("checkout-api")

        title = f"Checkout returned 502s ({tag})"
        with self.step("2. create an incident through the web form", a):
            self.submit(a, nav.get_by_role("link", name="New incident"), "open the new-incident form")
            a.get_by_label("Title").fill(title)
            a.get_by_label("Severity").select_option("SEV2")
            a.get_by_label("Status").select_option("resolved")
            a.get_by_label("Detected by").select_option("monitoring alert")
            a.get_by_label("Services affected").select_option(label="Checkout API")
            a.get_by_label("Teams involved").select_option(label="Payments")
            a.get_by_label("Detected", exact=True).fill(local(detected))
            a.get_by_label("Resolved", exact=True).fill(local(resolved))
            a.get_by_label("Customer impact").fill("About 4% of checkouts failed for two hours.")
            self.submit(a, a.get_by_role("button", name="Save"), "save the new incident")
            expect(a.locator("h1")).to_contain_text(title)
            incident_url = a.url.split("#")[0]
            key = incident_url.rstrip("/").rsplit("/", 1)[-1]

        with self.step("3. add timeline entries with reflections", a):
            entries = [
                (detected + dt.timedelta(minutes=2), "alert", "502 alert fired for checkout-api",
                 "The dashboard showed only checkout; it looked like one bad pod."),
                (detected + dt.timedelta(minutes=20), "action", "Rolled back the 14:00 deploy",
                 "The deploy was the only change we knew of in the last hour."),
            ]
            for when, kind, text, reflection in entries:
                form = a.locator("form#add-entry")
                form.get_by_label("When").fill(local(when))
                form.get_by_label("Kind").select_option(kind)
                form.get_by_label("What happened").fill(text)
                form.get_by_label("What I was seeing").fill(reflection)
                self.submit(a, form.get_by_role("button", name="Add to timeline"), "add a timeline entry")
                expect(a.locator("ol.timeline")).to_contain_text(text)
                expect(a.locator("ol.timeline blockquote.reflection").filter(has_text=reflection)).to_have_count(1)
            # A slip, removed with its own Remove button (which posts the page's
            # one token-carrying form to that entry's address) and listed as removed.
            form = a.locator("form#add-entry")
            form.get_by_label("When").fill(local(detected + dt.timedelta(minutes=21)))
            form.get_by_label("What happened").fill("Typed into the wrong incident")
            self.submit(a, form.get_by_role("button", name="Add to timeline"), "add a timeline entry to remove")
            slip = a.locator("ol.timeline li").filter(has_text="Typed into the wrong incident")
            self.submit(a, slip.get_by_role("button", name="Remove"), "remove a timeline entry")
            expect(a.locator("ol.timeline")).not_to_contain_text("Typed into the wrong incident")
            expect(a.locator("details.removed-entries")).to_contain_text("Typed into the wrong incident")
            expect(a.locator("ol.timeline")).to_contain_text("Rolled back the 14:00 deploy")

        with self.step("4. import a pasted table (preview, then confirm)", a):
            self.submit(a, a.get_by_role("link", name=re.compile(r"^Import a timeline")), "open the import page")
            at = lambda minutes: f"{detected + dt.timedelta(minutes=minutes):%Y-%m-%dT%H:%M:00Z}"
            table = "\n".join([
                "time,author,kind,text,what I was seeing",
                f'{at(5)},Noor,observation,Error rate 4% on checkout,"Looked like the usual Monday spike"',
                f"{at(9)},Kai,communication,Status page updated,",
                f"{at(50)},Noor,observation,Error rate back to 0.1%,",
            ])
            paste = a.locator("section#paste form")
            paste.get_by_label("Table", exact=True).fill(table)
            self.submit(a, paste.get_by_role("button", name="Preview", exact=True), "preview the pasted table")
            expect(a.get_by_role("heading", name=re.compile(r"Preview: 3 entries"))).to_be_visible()
            self.submit(a, a.get_by_role("button", name="Add these 3 entries"), "confirm the import")
            expect(a).to_have_url(re.compile(re.escape(f"/incidents/{key}")))
            expect(a.locator("ol.timeline")).to_contain_text("Status page updated")
            expect(a.locator("ol.timeline")).to_contain_text("Error rate back to 0.1%")

        review_title = f"Payments team review ({tag})"
        with self.step("5. write a review and publish it", a):
            self.submit(a, a.locator("section#reviews").get_by_role("link", name=re.compile(r"^Start a ")), "open the new-review form")
            a.get_by_label("Title (optional)").fill(review_title)
            # A label's name takes in the select's option text, so "Level"
            # also matches "Who may see it (the level's default)".
            a.locator('select[name="level"]').select_option("team")
            a.locator('select[name="teams"]').select_option(label="Payments")
            people = a.get_by_role("group", name=re.compile(r"^Participants"))
            expect(people.locator("input:checked")).to_have_count(1)  # the admin, facilitating
            for name, _, _ in members:
                people.get_by_label(name).check()
            sections = {
                "summary": "Checkout failed for 4% of customers for two hours after a deploy.",
                "whatHappened": "A config change shipped with the 14:00 deploy lowered the connection pool size.",
                "contributingFactors": "The pool size is set in two places; the dashboard did not show pool saturation.",
                "whatWentWell": "The alert fired within two minutes and the rollback was quick once decided.",
            }
            for field, text in sections.items():
                a.locator(f'textarea[name="{field}"]').fill(text)
            # Cells copied from a spreadsheet (the HTML Google Sheets puts on the
            # clipboard) and pasted into a Markdown field become a Markdown table,
            # as in GitHub's comment box; the page shows a table.
            pasted = a.locator('textarea[name="whatHappened"]').evaluate(PASTE_SPREADSHEET_CELLS)
            if "| Time (UTC) | Signal |\n| --- | --- |\n| 14:02 | Pool at 100% \\| saturated |" not in pasted:
                self.fail(a.url, f"a spreadsheet's cells pasted into a review field did not become a Markdown table: {pasted!r}")
            save = a.get_by_role("button", name=re.compile(r"^Save the "))
            try:
                self.submit(a, save, "save the review (visibility: the level's default)")
            except AssertionError as refused:
                # Reported, then saved the way that works, so that the rest of
                # the journey is still exercised.
                self.fail(a.url, f"{refused}; saved again with an explicit visibility")
                a.locator('select[name="visibility"]').select_option("team")
                self.submit(a, save, "save the review (visibility: the team)")
            expect(a.locator("h1")).to_have_text(review_title)
            review_url = a.url.split("#")[0]
            review_path = urlsplit(review_url).path
            expect(a.locator("main")).to_contain_text("The pool size is set in two places")
            expect(a.locator("main table td").filter(has_text="Pool at 100% | saturated")).to_have_count(1)
            for name, _, _ in members:
                expect(a.locator("main")).to_contain_text(f"{name} (")
            # Publishing is the review's status, set on its edit form.
            self.submit(a, a.get_by_role("link", name=re.compile(r"^Edit the ")), "open the review's edit form")
            a.locator('select[name="status"]').select_option("published")
            self.submit(a, a.get_by_role("button", name=re.compile(r"^Save the ")), "publish the review")
            expect(a.locator("p.meta .status")).to_have_text("Published")

        candidates = ["Alert on connection pool saturation", "Keep the pool size in one place", "Canary deploys for checkout"]
        with self.step("6a. list candidate follow-ups and open the ballot", a):
            for c in candidates:
                form = a.locator("form#add-follow-up")
                form.get_by_label("Title").fill(c)
                form.get_by_label("Owner team").select_option(label="Payments")
                form.get_by_label("Service").select_option(label="Checkout API")
                self.submit(a, form.get_by_role("button", name="Add follow-up"), "add a candidate follow-up")
                expect(a.locator("section#follow-ups ul.followups")).to_contain_text(c)
            self.submit(a, a.get_by_role("button", name="Open the ballot"), "open the ballot")
            expect(a.locator("section#ballot")).to_contain_text("0 of 3 have voted")

        # Different rankings, one clear winner: candidates[1] is picked first
        # by two of the three.
        c0, c1, c2 = candidates
        votes = [("admin", a, None, [c0, c1, c2])]
        for (name, email, password), picks in zip(members, [[c1, c0, c2], [c1, c2, c0]]):
            votes.append((name, self.new_page(name), (email, password), picks))
        for n, (who, page, creds, picks) in enumerate(votes, start=1):
            with self.step(f"6b. vote as {who}", page):
                if creds:  # a member, in a browser context of their own
                    self.goto(page, review_path)  # sent to sign in first, then back
                    expect(page).to_have_url(re.compile(r"/signin\?next="))
                    self.sign_in(page, creds)
                    expect(page).to_have_url(re.compile(re.escape(review_path)))
                ballot = page.locator("section#ballot")
                for position, pick in enumerate(picks, start=1):
                    ballot.locator(f'select[name="pick{position}"]').select_option(label=pick)
                self.submit(page, ballot.get_by_role("button", name="Vote"), f"vote as {who}")
                expect(page.locator("section#ballot")).to_contain_text(f"{n} of 3 have voted")

        with self.step("6c. close the ballot and see the tally", a):
            self.goto(a, review_path)
            self.submit(a, a.get_by_role("button", name="Close the ballot and rank"), "close the ballot")
            ballot = a.locator("section#ballot")
            expect(ballot).to_contain_text("Closed · 3 voted")
            rows = ballot.locator("table.list tbody tr")
            expect(rows).to_have_count(len(candidates))
            for c in candidates:
                expect(rows.filter(has_text=c)).to_have_count(1)
            expect(rows.first).to_contain_text(c1)
            expect(rows.first.locator(".focus")).to_be_visible()

        fu_title = candidates[1]
        with self.step("7. change a follow-up's status and see it in its history", a):
            self.submit(a, a.locator("section#follow-ups").get_by_role("link", name=fu_title), "open a follow-up")
            followup_path = urlsplit(a.url).path
            expect(a.locator("ul.history li")).to_have_count(1)  # created as open
            a.locator('select[name="status"]').select_option("in_progress")
            a.get_by_label("Reason").fill("Picked first on the ballot; started this sprint.")
            self.submit(a, a.get_by_role("button", name="Save"), "save the follow-up")
            item = a.locator("section#follow-ups li").filter(has_text=fu_title)
            expect(item.locator(".status")).to_have_text("In progress")
            self.submit(a, item.get_by_role("link", name=fu_title), "open the follow-up again")
            history = a.locator("ul.history li")
            expect(history).to_have_count(2)
            expect(history.last).to_contain_text("Open → In progress")
            expect(history.last).to_contain_text("started this sprint")

        with self.step(f"8. rename the practice to {NEW_PRACTICE!r} in Settings", a):
            self.submit(a, nav.get_by_role("link", name="Settings"), "open Settings")
            a.get_by_role("group", name="What do you call a review?").get_by_label(NEW_PRACTICE, exact=True).check()
            self.submit(a, a.get_by_role("button", name="Save settings"), "save settings")
            expect(a.locator(".notice")).to_have_text("Saved.")
            self.practice = NEW_PRACTICE
            self.check(a, a.url.split("#")[0])

        with self.step("8. the new name on the pages visited afterwards", a):
            self.submit(a, nav.get_by_role("link", name="Dashboard"), "open the dashboard")
            expect(a.locator("main")).to_contain_text("never locks a learning review")
            self.submit(a, a.locator("#open-windows").get_by_role("link", name=key), "open the incident from the dashboard")
            expect(a.locator("section#reviews h2")).to_have_text("Learning reviews")
            expect(a.locator("section#reviews")).to_contain_text("Start a learning review")
            self.submit(a, a.locator("section#reviews").get_by_role("link", name=review_title), "open the review")
            expect(a.locator("main")).to_contain_text("Edit the learning review")
            self.submit(a, a.get_by_role("link", name="Edit the learning review"), "open the review's edit form")
            expect(a.get_by_role("button", name="Save the learning review")).to_be_visible()
            self.goto(a, followup_path)
            self.goto(a, f"/incidents/{key}/reviews/new")
            expect(a.locator("h1")).to_contain_text("Start a learning review")

        # The rest of the app a person reaches from here, each page checked
        # like the others (and for the new name).
        with self.step("tour: every other page reachable from the journey", a):
            for link in ["Incidents", "Insights"]:
                self.submit(a, nav.get_by_role("link", name=link), f"open {link}")
            search = nav.get_by_role("searchbox")
            search.fill("pool")
            with a.expect_navigation() as n:
                search.press("Enter")
            self.loaded(a, n.value, "search for 'pool'", 200)
            expect(a.locator("main")).to_contain_text("pool")
            self.submit(a, nav.get_by_role("link", name="Settings"), "open Settings")
            for link in ["the audit log", "manage PagerDuty subscriptions"]:
                self.submit(a, a.get_by_role("link", name=link), f"open {link}")
                a.go_back()
            self.submit(a, a.locator("section#teams").get_by_role("link", name="weekly digest"), "open a team digest")
            self.goto(a, incident_url)
            self.submit(a, a.locator("dl.facts").get_by_role("link", name="Checkout API"), "open a service page")
            self.goto(a, f"/incidents/{key}/edit")
            self.goto(a, review_path)
            self.submit(a, a.get_by_role("link", name=re.compile(r"^for publishing")), "open the export-for-publishing form")
            self.submit(a, nav.locator('a[href="/account"]'), "open the account page")

    def sign_in(self, page, creds):
        email, password = creds
        form = page.locator('form[action="/signin"]')
        form.get_by_label("Email").fill(email)
        form.get_by_label("Password").fill(password)
        self.submit(page, form.get_by_role("button", name="Sign in"), f"sign in as {email}")


# A paste as the page sees it: the clipboard's HTML and text, as Google Sheets
# writes them, at the end of the field. Returns the field's text afterwards.
PASTE_SPREADSHEET_CELLS = r"""field => {
    const html = '<meta charset="utf-8"><google-sheets-html-origin><style type="text/css"><!--td {border: 1px solid #cccccc;}--></style>'
        + '<table xmlns="http://www.w3.org/1999/xhtml" cellspacing="0" cellpadding="0" dir="ltr" border="1"><colgroup><col width="100"/><col width="180"/></colgroup>'
        + '<tbody><tr style="height:21px;"><td>Time (UTC)</td><td>Signal</td></tr>'
        + '<tr style="height:21px;"><td>14:02</td><td>Pool at 100% | saturated</td></tr>'
        + '<tr style="height:21px;"><td>14:09</td><td>Rollback <b>started</b></td></tr></tbody></table>';
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'Time (UTC)\tSignal\n14:02\tPool at 100% | saturated\n14:09\tRollback started');
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
    field.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    return field.value;
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin", required=True, help="email|password")
    parser.add_argument("--member", action="append", default=[], help="Name|email|password (two needed)")
    parser.add_argument("servers", nargs="+", help="viewport=base URL, viewport one of " + ", ".join(VIEWPORTS))
    args = parser.parse_args()
    admin = tuple(args.admin.split("|", 1))
    members = [tuple(m.split("|", 2)) for m in args.member]
    if len(members) != 2:
        parser.error("give two --member accounts: the ballot is for three people")
    servers = dict(s.split("=", 1) for s in args.servers)
    unknown = set(servers) - set(VIEWPORTS)
    if unknown:
        parser.error(f"unknown viewport(s) {sorted(unknown)}")

    started = time.monotonic()
    total = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for viewport, base in servers.items():
            run = Run(browser, viewport, base.rstrip("/"))
            t0 = time.monotonic()
            try:
                run.journey(admin, members)
                outcome = "journey complete"
            except JourneyFailed as e:
                outcome = f"journey stopped: {e}"
            finally:
                run.close()
            size = f"{run.size['width']}x{run.size['height']}"
            print(f"== {viewport} {size}: {outcome}; {len(run.visited)} pages checked, "
                  f"{len(run.failures)} failure(s), {time.monotonic() - t0:.1f} s")
            if os.environ.get("LORE_BROWSER_VERBOSE"):
                for key in sorted(run.visited):
                    print(f"   checked {key}")
            for url, what in run.failures:
                print(f"FAIL [{viewport} {size}] {url}\n    {what}")
            total += len(run.failures)
        browser.close()
    print(f"== {total} failure(s) in {time.monotonic() - started:.1f} s")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

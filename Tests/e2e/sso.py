#!/usr/bin/env python3
"""Single sign-on through oidc-provider-mock in a real browser.

A person clicks "Sign in with your company account" on Lore's sign-in page,
is taken to the provider, names themselves there (the mock's form stands in
for a password prompt) and comes back signed in, or to a page that says in
words why not. Usage (through Tests/e2e/sso.sh, which starts both servers):
  sso.py --lore http://127.0.0.1:PORT --admin 'email|password'
"""
import argparse
import sys

from playwright.sync_api import expect, sync_playwright

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def through_provider(page, lore, subject, deny=False):
    """From Lore's sign-in page to the provider and back; returns the page."""
    page.goto(lore + "/signin")
    page.get_by_role("link", name="Sign in with your company account").click()
    page.wait_for_url("**/oauth2/authorize**")
    if deny:
        page.get_by_role("button", name="Deny").click()
    else:
        page.locator("input[name=sub]").fill(subject)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()
    return page


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lore", required=True)
    ap.add_argument("--admin", required=True)
    args = ap.parse_args()
    lore = args.lore.rstrip("/")
    admin_email, admin_password = args.admin.split("|", 1)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])

        def fresh():
            ctx = browser.new_context()
            ctx.set_default_timeout(10_000)
            return ctx, ctx.new_page()

        # A first sign-in creates the account and lands on the dashboard.
        ctx, page = fresh()
        through_provider(page, lore, "grace@example.com")
        check(page.url.startswith(lore + "/dashboard"), f"grace lands on the dashboard (at {page.url})")
        page.goto(lore + "/account")
        check("Grace Hopper" in page.content(), "her account carries the name the provider sent")
        check(any(c["name"] == "lore_session" for c in ctx.cookies()), "a session cookie is set")
        ctx.close()

        # A signed-in person going back later: the same account, no second one.
        ctx, page = fresh()
        through_provider(page, lore, "grace@example.com")
        check(page.url.startswith(lore + "/dashboard"), "grace signs in again")
        ctx.close()

        # Refusals: a page in words, no session.
        for subject, words in [
            ("unverified@example.com", "has not verified the address unverified@example.com"),
            ("eve@elsewhere.org", "is not at a domain allowed"),
        ]:
            ctx, page = fresh()
            through_provider(page, lore, subject)
            check(page.url.startswith(lore + "/signin/sso/callback"), f"{subject}: back at Lore")
            check(words in page.content(), f"{subject}: the page says \"{words}\"")
            check(page.locator("h1").inner_text() == "Sign-in did not work", f"{subject}: one clear heading")
            check(not any(c["name"] == "lore_session" for c in ctx.cookies()), f"{subject}: no session")
            ctx.close()

        ctx, page = fresh()
        through_provider(page, lore, "", deny=True)
        check("cancelled at the identity provider" in page.content(), "denied at the provider: the page says it was cancelled")
        ctx.close()

        # Passwords are off except for the break-glass admin.
        ctx, page = fresh()
        page.goto(lore + "/signin")
        check(page.locator("details summary").count() == 1, "the password form is tucked away as break-glass sign-in")
        page.locator("details summary").click()
        page.get_by_label("Email").fill("grace@example.com")
        page.get_by_label("Password").fill("whatever she tries")
        page.get_by_role("button", name="Sign in with a password").click()
        check("do not match the break-glass account" in page.content(), "a member's password attempt is refused, in the words of a wrong password")
        page.goto(lore + "/signin")
        page.locator("details summary").click()
        page.get_by_label("Email").fill(admin_email)
        page.get_by_label("Password").fill(admin_password)
        page.get_by_role("button", name="Sign in with a password").click()
        page.wait_for_load_state()
        check(page.url.startswith(lore + "/dashboard"), "the break-glass admin signs in with a password")
        page.goto(lore + "/settings")
        check("Set by the server&#39;s configuration" in page.content() or "Set by the server's configuration" in page.content(),
              "Settings shows single sign-on as configured by the server")
        ctx.close()
        browser.close()
    if failures:
        print(f"{len(failures)} single sign-on check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("single sign-on: every check passed")


if __name__ == "__main__":
    main()

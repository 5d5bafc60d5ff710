#!/usr/bin/env python3
"""Lore over HTTP at the size of a real organisation (issue 16's goals).

Reads what `LoreBench http-seed` prepared (one entry per database), starts a
release `lore serve` on each, and measures with `wrk` at 64 connections:
every route as a ratio to the static stylesheet measured in the same run
(the server's own limit on this machine), p99 and errors, and the median of
one request at a time ("one ms": what a single person waits); writes through the
API, alone and while 64 readers run; and, on PostgreSQL, two `lore serve`
processes against one.

    .build/release/LoreBench http-seed --out /tmp/http-seed.json
    python3 Benchmarks/http/run.py --seed /tmp/http-seed.json --lore .build/release/lore

Figures from this machine are in Benchmarks/README.md.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time, urllib.request

def wait_ready(port, proc, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"lore serve on port {port} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    sys.exit(f"lore serve on port {port} did not answer /healthz in {seconds} s")

def serve(lore, url, port, log):
    env = dict(os.environ, LORE_LOG_LEVEL="error", LORE_NO_BACKGROUND_WORK="1")
    proc = subprocess.Popen([lore, "serve", "--database-url", url, "--port", str(port), "--no-background-work"],
                            stdout=log, stderr=log, env=env)
    wait_ready(port, proc)
    return proc

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}

def parse(out):
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    p99 = float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if m: errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m: errors += sum(int(x) for x in m.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rate": rate, "p99": p99, "errors": errors, "requests": total}

def wrk(url, headers, connections, duration, script=None, threads=2):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

def run(url, headers, connections, duration, script=None):
    p = wrk(url, headers, connections, duration, script)
    out = p.communicate()[0]
    try:
        return parse(out)
    except Exception:
        sys.exit(f"could not read wrk's output for {url}:\n{out}")

def single(url, headers, n=21):
    """The median time of one request with nothing else running: what one person waits."""
    req = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    times = []
    for _ in range(n):
        t = time.perf_counter()
        urllib.request.urlopen(req, timeout=60).read()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[n // 2]

POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format(%s, counter))
end
"""

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", required=True)
    ap.add_argument("--lore", default=".build/release/lore")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--only", help="SQLite or PostgreSQL")
    a = ap.parse_args()
    seeds = json.load(open(a.seed))
    tmp = tempfile.mkdtemp(prefix="lore-http-bench-")
    for s in seeds:
        if a.only and s["name"] != a.only:
            continue
        log = open(os.path.join(tmp, f"serve-{s['name']}.log"), "w")
        port = a.port
        proc = serve(a.lore, s["databaseURL"], port, log)
        base = f"http://127.0.0.1:{port}"
        page = [f"Cookie: {s['cookie']}"]
        api = [f"Authorization: Bearer {s['token']}"]
        key, review = s["incidentKey"], s["reviewID"]
        c = a.connections
        print(f"\n{s['name']}: {s['incidents']} incidents; wrk -t2 -c{c} -d{a.duration}s; ratio = requests/s against the static stylesheet in this run")
        # Warm each route once (page cache, first wording count).
        for path, hs in [("/dashboard", page), (f"/incidents/{key}", page), ("/incidents", page), (f"/incidents/{key}/reviews/{review}", page)]:
            urllib.request.urlopen(urllib.request.Request(base + path, headers=dict(h.split(": ", 1) for h in hs)), timeout=600).read()
        static = run(base + "/static/lore.css", [], c, a.duration)
        rows = [("static /static/lore.css (baseline)", static, None)]
        routes = [
            ("page  incident (500 entries, 3 reviews)", f"/incidents/{key}", page, 0.3),
            ("page  incident list, first page", "/incidents", page, 0.3),
            ("page  incident list, page 100, filtered", "/incidents?page=100&status=resolved", page, 0.3),
            ("page  dashboard", "/dashboard", page, 0.3),
            ("page  review", f"/incidents/{key}/reviews/{review}", page, 0.3),
            ("api   incident", f"/api/v1/incidents/{key}", api, 0.5),
            ("api   timeline (500 entries)", f"/api/v1/incidents/{key}/timeline", api, 0.5),
            ("api   incident list, page 100", "/api/v1/incidents?page=100", api, 0.5),
            ("api   dashboard", "/api/v1/dashboard", api, 0.5),
            ("api   review", f"/api/v1/reviews/{review}", api, 0.5),
        ]
        static["single"] = single(base + "/static/lore.css", [])
        for name, path, hs, goal in routes:
            r = run(base + path, hs, c, a.duration)
            r["single"] = single(base + path, hs)
            rows.append((name, r, goal))
        print(f"  {'route':44} {'req/s':>9} {'ratio':>7} {'p99 ms':>9} {'errors':>7} {'one ms':>7}  goal")
        for name, r, goal in rows:
            ratio = r["rate"] / static["rate"]
            verdict = "" if goal is None else ("met" if ratio >= goal and r["p99"] < 50 and r["errors"] == 0 else "NOT met") + f" (≥ {goal}×, p99 < 50 ms, no errors)"
            print(f"  {name:44} {r['rate']:9.1f} {ratio:7.3f} {r['p99']:9.1f} {r['errors']:7d} {r['single']:7.1f}  {verdict}")

        # Writes through the API: alone, then beside 64 readers of the incident page.
        scripts = {}
        for kind, body in [("incidents", '\'{"title":"Bench write %d","severity":"SEV3","detectionSource":"monitoring alert"}\''),
                           ("timeline", '\'{"text":"Bench entry %d","kind":"note","occurredAt":"2026-12-01T10:00:00Z"}\'')]:
            path = os.path.join(tmp, f"post-{kind}.lua")
            open(path, "w").write(POST_SCRIPT % body)
            scripts[kind] = path
        # Entries go to an incident of their own, so that the long incident
        # keeps its 500 entries for the pages measured after the writes.
        req = urllib.request.Request(base + "/api/v1/incidents", method="POST", headers=dict([h.split(": ", 1) for h in api] + [("Content-Type", "application/json")]),
                                     data=b'{"title":"Bench timeline writes","severity":"SEV4","detectionSource":"monitoring alert"}')
        target = json.load(urllib.request.urlopen(req, timeout=60))["key"]
        writes = [("create incidents", "/api/v1/incidents", scripts["incidents"]),
                  ("add timeline entries", f"/api/v1/incidents/{target}/timeline", scripts["timeline"])]
        for name, path, script in writes:
            alone = run(base + path, api, 8, a.duration, script)
            readers = wrk(base + f"/incidents/{key}", page, c, a.duration)
            writers = wrk(base + path, api, 8, a.duration, script)
            w = parse(writers.communicate()[0]); r = parse(readers.communicate()[0])
            print(f"  write {name:38} alone {alone['rate']:8.1f}/s p99 {alone['p99']:7.1f} ms; beside {c} readers {w['rate']:8.1f}/s p99 {w['p99']:7.1f} ms"
                  f" (readers {r['rate']:.1f}/s, p99 {r['p99']:.1f} ms, errors {w['errors'] + r['errors'] + alone['errors']})")

        if s["databaseURL"].startswith("postgres"):
            second = serve(a.lore, s["databaseURL"], port + 1, log)
            one = run(base + f"/incidents/{key}", page, c, a.duration)
            p1 = wrk(base + f"/incidents/{key}", page, c // 2, a.duration)
            p2 = wrk(f"http://127.0.0.1:{port + 1}/incidents/{key}", page, c // 2, a.duration)
            r1 = parse(p1.communicate()[0]); r2 = parse(p2.communicate()[0])
            both = r1["rate"] + r2["rate"]
            print(f"  two lore serve on one database, incident page: one {one['rate']:.1f}/s, two {both:.1f}/s = {both / one['rate']:.2f}× (goal ≥ 1.6×)")
            second.terminate(); second.wait()
        proc.terminate(); proc.wait()

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Hostile Slack exports against a running `lore serve` and `lore import slack`.

Builds, in a temporary folder, exports that inflate far beyond their size:
  bomb.zip  - a day file of 1 GiB of zeros (about 1 MB zipped), twice;
  huge.zip  - valid JSON day files of repeated messages, each over the 64 MB
              a file of an export may inflate to.
Uploads both to the web import twice at once while polling /healthz every
20 ms, then runs the command-line import of each. Asserts that each is
refused with an error naming the entry, that nothing was imported, that the
server's peak resident memory (VmHWM) stays under 200 MB, and that /healthz
answered within 100 ms throughout.

Usage: hostile-uploads.py LORE_BINARY
"""
import http.cookiejar, io, json, os, re, resource, socket, subprocess, sys, tempfile, threading, time, urllib.request, uuid, zipfile

LORE = sys.argv[1]
work = tempfile.mkdtemp(prefix="lore-hostile-")
data = os.path.join(work, "data")
env = dict(os.environ, LORE_LOG_LEVEL="warning")

def lore(*args, stdin=None):
    return subprocess.run([LORE, *args, "--data-dir", data], input=stdin, capture_output=True, text=True, env=env)

def export(path, day_files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("users.json", json.dumps([{"id": "U1", "name": "ana", "real_name": "Ana"}]))
        z.writestr("channels.json", json.dumps([{"id": "C1", "name": "incident-1"}]))
        for name, writer in day_files:
            with z.open(name, "w", force_zip64=True) as f:
                writer(f)

def zeros(f):
    block = b"\0" * (1 << 20)
    for _ in range(1024):
        f.write(block)

def repeated_messages(f):
    msg = b'{"type":"message","user":"U1","text":"restarting the ledger again","ts":"1704103200.000100"},'
    f.write(b"[")
    n = (70 << 20) // len(msg)
    chunk = msg * 10000
    for _ in range(n // 10000):
        f.write(chunk)
    f.write(b'{"type":"message","user":"U1","text":"end","ts":"1704103201.000100"}]')

bomb = os.path.join(work, "bomb.zip")
huge = os.path.join(work, "huge.zip")
export(bomb, [("incident-1/2024-01-01.json", zeros), ("incident-1/2024-01-02.json", zeros)])
export(huge, [("incident-1/2024-01-01.json", repeated_messages)])
print(f"bomb.zip {os.path.getsize(bomb) >> 10} KB, huge.zip {os.path.getsize(huge) >> 10} KB")

assert lore("migrate").returncode == 0
r = lore("users", "add", "--email", "ops@example.com", "--name", "Ops", "--role", "admin", "--password-stdin", stdin="a long e2e password\n")
assert r.returncode == 0, r.stderr
token = lore("tokens", "create", "--user", "ops@example.com").stdout.strip()

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
server = subprocess.Popen([LORE, "serve", "--data-dir", data, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
base = f"http://127.0.0.1:{port}"
failures = []
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read(); break
        except Exception:
            time.sleep(0.1)
    req = urllib.request.Request(base + "/api/v1/incidents", data=json.dumps({"title": "Hostile uploads", "severity": "SEV3", "detectionSource": "other"}).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    key = json.load(urllib.request.urlopen(req))["key"]

    def session():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/signin").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"email": "ops@example.com", "password": "a long e2e password", "_csrf": csrf}).encode()
        opener.open(base + "/signin", data=data)
        page = opener.open(base + f"/incidents/{key}/import").read().decode()
        return opener, re.search(r'name="_csrf" value="([^"]+)"', page).group(1)

    def upload(opener, csrf, path, out):
        boundary = "----lore" + uuid.uuid4().hex
        body = io.BytesIO()
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n{csrf}\r\n'.encode())
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{os.path.basename(path)}"\r\nContent-Type: application/zip\r\n\r\n'.encode())
        body.write(open(path, "rb").read())
        body.write(f"\r\n--{boundary}--\r\n".encode())
        req = urllib.request.Request(base + f"/incidents/{key}/import/file", data=body.getvalue(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            resp = opener.open(req, timeout=120)
            out.append((resp.status, resp.read().decode()))
        except urllib.error.HTTPError as e:
            out.append((e.code, e.read().decode()))

    latencies = []
    stop = threading.Event()
    def poll():
        while not stop.is_set():
            t = time.monotonic()
            urllib.request.urlopen(base + "/healthz", timeout=5).read()
            latencies.append(time.monotonic() - t)
            time.sleep(0.02)
    poller = threading.Thread(target=poll); poller.start()
    results = []
    for path in (bomb, huge):
        threads = []
        for _ in range(2):
            opener, csrf = session()
            threads.append(threading.Thread(target=upload, args=(opener, csrf, path, results)))
        for t in threads: t.start()
        for t in threads: t.join()
    time.sleep(0.3)
    stop.set(); poller.join()

    for status, page in results:
        if "incident-1/2024-01-01.json" not in page or "Nothing was imported" not in page:
            failures.append(f"web upload answered {status} without naming the entry: {page[:300]!r}")
    timeline = json.load(urllib.request.urlopen(urllib.request.Request(base + f"/api/v1/incidents/{key}/timeline", headers={"Authorization": f"Bearer {token}"})))["items"]
    if timeline:
        failures.append(f"{len(timeline)} entries were imported")
    hwm = int(re.search(r"VmHWM:\s+(\d+) kB", open(f"/proc/{server.pid}/status").read()).group(1)) >> 10
    worst = max(latencies) * 1000
    print(f"web: {len(results)} hostile uploads refused; server peak memory {hwm} MB; /healthz {len(latencies)} polls, slowest {worst:.1f} ms")
    if hwm >= 200: failures.append(f"server peak memory {hwm} MB (limit 200 MB)")
    if worst >= 100: failures.append(f"/healthz took {worst:.1f} ms (limit 100 ms)")
finally:
    server.terminate(); server.wait()

for path in (bomb, huge):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.monotonic()
    r = lore("import", "slack", path, "--incident", "INC-1", "--channel", "incident-1")
    took = time.monotonic() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >> 10
    print(f"cli {os.path.basename(path)}: exit {r.returncode} in {took:.1f} s, peak of children so far {peak} MB: {r.stderr.strip()[:200]}")
    if r.returncode != 2 or "incident-1/2024-01-01.json" not in r.stderr: failures.append(f"lore import slack {path}: exit {r.returncode}: {r.stderr}")
    if peak >= 200: failures.append(f"lore import slack peak memory {peak} MB")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print("hostile uploads: refused, bounded, healthy")

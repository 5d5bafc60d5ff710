"""Delivers the real PagerDuty webhook fixtures to two Lore servers at once:
each body twice, shuffled, from 8 threads, signed as PagerDuty signs them.
Then checks through the API that every event is on a timeline exactly once.
Usage: pagerduty-deliveries.py BASE_A BASE_B SECRET FIXTURE_DIR TOKEN"""
import concurrent.futures, hashlib, hmac, json, os, random, sys, urllib.request

base_a, base_b, secret, fixtures, token = sys.argv[1:6]
bodies = []
for name in sorted(os.listdir(fixtures)):
    if name.endswith(".json"):
        with open(os.path.join(fixtures, name), "rb") as f:
            bodies.append(f.read())
deliveries = [(random.choice([base_a, base_b]), b) for b in bodies * 2]
random.shuffle(deliveries)

def send(item):
    base, body = item
    sig = "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(base + "/hooks/pagerduty/e2e", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-PagerDuty-Signature": sig})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status

with concurrent.futures.ThreadPoolExecutor(8) as pool:
    statuses = list(pool.map(send, deliveries))
assert all(s == 200 for s in statuses), statuses

def api(path):
    req = urllib.request.Request(base_a + "/api/v1" + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)

incidents = [i for i in api("/incidents?perPage=100")["items"]
             if any(r["system"] == "pagerduty" for r in i.get("externalReferences", []))]
entries = sum(len(api("/incidents/%s/timeline" % i["key"])["items"]) for i in incidents)
expected = {json.loads(b)["event"]["data"].get("incident", json.loads(b)["event"]["data"])["id"] for b in bodies}
print("pagerduty: %d deliveries to two servers -> %d incidents, %d timeline entries" % (len(deliveries), len(incidents), entries))
if len(incidents) != len(expected) or entries != len(bodies):
    print("FAIL: expected %d incidents and %d entries" % (len(expected), len(bodies)), file=sys.stderr)
    sys.exit(1)

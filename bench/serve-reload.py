#!/usr/bin/env python3
# quire serve's rebuild-to-reload time: a reload request held open as the served page's
# script holds it, a post's title edited, and the time from the write to the answer.
#
#   python3 bench/serve-reload.py QUIRE CONTENT_DIR RUNS
#
# e.g. `cargo run -p quire-devtools -- gen-corpus 1000 /dev/shm/c1k` and the packaged
# binary (scripts/package). Put CONTENT_DIR in /dev/shm: the disk's noise swamps the figure.
# Prints min, median and max in ms; record the load average beside it.
import os, re, subprocess, sys, threading, time, urllib.request
quire, content, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
p = subprocess.Popen([quire, "serve", "--port", "0", "--content", content], stderr=subprocess.PIPE, text=True)
url = None
for line in p.stderr:
    m = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    if m:
        url = m.group(1); break
out = []
threading.Thread(target=lambda: [out.append(l) for l in p.stderr], daemon=True).start()
post = sorted(os.path.join(content, "posts", f) for f in os.listdir(os.path.join(content, "posts")))[0]
orig = open(post).read()
v = urllib.request.urlopen(url + "__quire/reload?since=").read().decode()
times = []
for i in range(runs):
    res = {}
    def wait():
        res["v"] = urllib.request.urlopen(url + "__quire/reload?since=" + v).read().decode()
        res["t"] = time.perf_counter()
    t = threading.Thread(target=wait); t.start(); time.sleep(0.3)
    t0 = time.perf_counter()
    with open(post, "w") as f:
        f.write(re.sub(r"^title: .*$", f"title: Timing run {i}", orig, count=1, flags=re.M))
    t.join(); v = res["v"]
    times.append((res["t"] - t0) * 1000)
    time.sleep(0.2)
    # also fetch the edited page, as the reload does
open(post, "w").write(orig)
p.send_signal(2); p.wait(timeout=10)
times.sort()
print("runs", runs, "min %.0f median %.0f max %.0f ms" % (times[0], times[len(times)//2], times[-1]))
print("".join(out[-3:]))

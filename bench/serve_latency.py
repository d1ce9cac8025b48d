#!/usr/bin/env python3
"""Edit-to-served latency of `explainer serve`, next to the full build time.

    bench/serve_latency.py [--articles 10000] [--edits 9] [--where tmpfs|disk]
                           [--explainer PATH] [--keep DIR]

Generates the corpus with ../shared/bench/gen_corpus.py (our format only),
times a cold `explainer build` of it, then starts `explainer serve` on it
and, for each edit, appends a sentence with a fresh marker to an article
(a different one each time) and measures, from just before the file is
written:

  event    until the live-reload channel names the article's page
  served   until a GET of that page returns the new sentence

`served` is what a writer waits for: the watcher noticing the save, the
debounce, the rebuild, the write and the HTTP round trip. The server's own
"rebuilt in N ms" lines are reported as `rebuild`. Medians over the edits;
each article is restored afterwards. Only the standard library is used.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Events:
    """The live-reload stream, read on a thread; `wait` finds a text in what
    arrived after a given point."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(
            f"GET /__explainer/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Accept: text/event-stream\r\n\r\n".encode()
        )
        self.text = ""
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            with self.cond:
                self.text += chunk.decode(errors="replace")
                self.cond.notify_all()

    def mark(self):
        with self.cond:
            return len(self.text)

    def wait(self, needle, since, timeout=30):
        deadline = time.perf_counter() + timeout
        with self.cond:
            while needle not in self.text[since:]:
                left = deadline - time.perf_counter()
                if left <= 0:
                    sys.exit(f"no event naming {needle} within {timeout} s")
                self.cond.wait(left)
        return time.perf_counter()


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        return r.read().decode()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=10000)
    p.add_argument("--edits", type=int, default=9)
    p.add_argument("--where", default="tmpfs", choices=["tmpfs", "disk"])
    p.add_argument("--explainer", default=os.path.join(REPO, "target", "release", "explainer"))
    p.add_argument("--keep", help="reuse this folder for the corpus between runs")
    a = p.parse_args()
    if not os.path.exists(a.explainer):
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=REPO, check=True)
    work = a.keep or tempfile.mkdtemp(prefix="explainer-serve-bench-")
    os.makedirs(work, exist_ok=True)
    corpus = os.path.join(work, f"corpus-{a.articles}")
    if not os.path.exists(corpus):
        subprocess.run([sys.executable, GEN, corpus, "--articles", str(a.articles), "--formats", "explainer"],
                       check=True, stdout=subprocess.DEVNULL)
    root = os.path.join(corpus, "explainer")
    base = "/dev/shm" if a.where == "tmpfs" and os.path.isdir("/dev/shm") else work
    out = tempfile.mkdtemp(prefix="serve-out-", dir=base)
    # The build cache lives in the site folder; a cold build starts without it.
    shutil.rmtree(os.path.join(root, ".explainer-cache"), ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([a.explainer, "build", "--quiet", "--root", root, "--output", out], check=True)
    full = time.perf_counter() - started

    port = free_port()
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([a.explainer, "serve", "--root", root, "--output", out, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=log)
    articles = sorted(f for f in os.listdir(os.path.join(root, "content", "articles")) if f.endswith(".md"))
    originals = {}
    try:
        deadline = time.time() + 120
        while True:
            try:
                get(port, "/__explainer/reload.js")
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    log.seek(0)
                    sys.exit("the server did not start:\n" + log.read().decode(errors="replace"))
                time.sleep(0.1)
        events = Events(port)
        events.wait("event: hello", 0)
        event_times, served_times = [], []
        step = max(1, len(articles) // a.edits)
        for i in range(a.edits):
            name = articles[(i * step) % len(articles)]
            path = os.path.join(root, "content", "articles", name)
            with open(path, encoding="utf-8") as f:
                originals[path] = f.read()
            slug = name[:-3]
            marker = f"Latency marker {i}-{time.time_ns()}."
            page = f"articles/{slug}/index.html"
            since = events.mark()
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(originals[path] + f"\n{marker}\n")
            t_event = events.wait(f'"{page}"', since)
            while marker not in get(port, f"/articles/{slug}/"):
                time.sleep(0.002)
            t_served = time.perf_counter()
            event_times.append(t_event - t0)
            served_times.append(t_served - t0)
            # Let the server go quiet between edits.
            time.sleep(0.3)
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        time.sleep(0.5)
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        server_log = log.read().decode(errors="replace")
        shutil.rmtree(out, ignore_errors=True)
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    rebuilds = [float(ms) for ms in re.findall(r"rebuilt in (\d+) ms", server_log)][: a.edits]
    pages = re.search(r"built ([\d,]+) pages", server_log)
    ms = lambda xs: f"{1000 * statistics.median(xs):.0f} ms"
    print(f"machine: {os.cpu_count()} cores; {a.edits} edits, medians; output on {a.where}")
    print()
    print("| articles | pages | full build | edit: rebuild | edit: reload event | edit: served | served (min-max) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {a.articles:,} | {pages.group(1) if pages else '?'} | {full:.2f} s | "
          f"{statistics.median(rebuilds):.0f} ms | {ms(event_times)} | {ms(served_times)} | "
          f"{1000 * min(served_times):.0f}-{1000 * max(served_times):.0f} ms |")


if __name__ == "__main__":
    main()

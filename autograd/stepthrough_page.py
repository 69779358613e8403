"""The HTML around the frames of `step_through`: style, previous/next buttons and their script.

The page loads nothing: the frames are inline SVG and the script is plain JavaScript. A
generator meta tag marks the pages that step_through wrote, and their links to the frame files
tell a later run which files it may replace or remove.
"""

import re

GENERATOR = '<meta name="generator" content="gradiente step_through">'
_FRAME_LINK = re.compile(r'href="(frame_\d{3,}\.svg)"')


def is_step_through_page(text: str) -> bool:
    """Return whether `text`, the contents of an HTML file, is a page written by step_through."""
    return GENERATOR in text


def linked_frames(text: str) -> set[str]:
    """Return the names of the frame files that a step_through page links, such as frame_000.svg."""
    return set(_FRAME_LINK.findall(text))


# Formatted with str.format, so literal braces in the CSS are doubled.
PAGE_START = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{generator}
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1em; }}
nav {{ display: flex; gap: 0.5em; align-items: center; margin-bottom: 0.5em; }}
figure {{ margin: 0; }}
figure svg {{ max-width: 100%; height: auto; }}
pre {{ background: #f8f9fa; padding: 0.5em; white-space: pre-wrap; }}
</style>
</head>
<body>
<h1>{title}</h1>
<nav>
<button id="previous" type="button">&larr; Previous</button>
<button id="next" type="button">Next &rarr;</button>
<span id="counter"></span>
<span>(or the arrow keys)</span>
</nav>
"""

PAGE_END = """
<script>
const frames = document.querySelectorAll("figure.frame");
const previous = document.getElementById("previous");
const next = document.getElementById("next");
const counter = document.getElementById("counter");
let current = 0;

function show(index) {
  current = Math.max(0, Math.min(frames.length - 1, index));
  frames.forEach((frame, i) => { frame.hidden = i !== current; });
  counter.textContent = "Frame " + current + " of " + (frames.length - 1);
  previous.disabled = current === 0;
  next.disabled = current === frames.length - 1;
}

previous.addEventListener("click", () => show(current - 1));
next.addEventListener("click", () => show(current + 1));
document.addEventListener("keydown", (event) => {
  if (event.key === "ArrowLeft") { show(current - 1); }
  if (event.key === "ArrowRight") { show(current + 1); }
});
show(0);
</script>
</body>
</html>
"""

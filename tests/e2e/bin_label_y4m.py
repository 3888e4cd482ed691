"""A camera's view of a printed bin label, as a y4m video for Chromium's fake camera.

    python bin_label_y4m.py BIN-CODE OUT.y4m [--png FRAME.png] [--width 1280 --height 720]

The label is the real thing: a one-label sheet rendered by the backend's
printing (the bin_labels template, Code 128 at the printer's dot size),
rasterised by pdftoppm at the thermal printer's 203 dpi, the barcode cropped
out with its quiet zones, then placed on a grey "shelf" as a phone held a
hand's width away would see it: 3.5 px a module (the label fills most of
the frame) and soft (Gaussian blur, sigma 1.5 px), the kind of frame zbar
reads and a plain zxing pass does not. --png writes the
frame too, so zbarimg can be asked about the very same pixels.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter

from backend.printing.documents import BinLabel, BinLabelSheet
from backend.printing.render import DocumentRenderer

DPI = 203
BLUR = 1.5  # px; a phone camera at arm's length is never razor sharp
MODULE_PX = 3.5  # camera pixels per narrowest bar


def render_label_png(code: str, out_dir: Path) -> Image.Image:
    sheet = BinLabelSheet(labels=(BinLabel(code=code, caption="camera test"),))
    pdf = out_dir / "label.pdf"
    pdf.write_bytes(DocumentRenderer().render_pdf("bin_labels", sheet))
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(out_dir / "label")],
        check=True,
    )
    return Image.open(out_dir / "label.png").convert("L")


def crop_barcode(page: Image.Image) -> Image.Image:
    """The bars and their quiet zones: rows with many dark/light edges are barcode rows."""
    w, h = page.size
    px = page.load()
    rows = []
    for y in range(h):
        edges, prev, first, last = 0, False, -1, -1
        for x in range(w):
            dark = px[x, y] < 128
            if dark != prev:
                edges += 1
            if dark:
                first = x if first < 0 else first
                last = x
            prev = dark
        if edges >= 40:
            rows.append((y, first, last))
    if not rows:
        raise SystemExit("no barcode found on the rendered label")
    top, bottom = rows[0][0], rows[-1][0]
    left = min(r[1] for r in rows)
    right = max(r[2] for r in rows)
    quiet = 12 * 3  # 12 modules of 3 dots: the label's own quiet zone is 10
    return page.crop((left - quiet, top - 16, right + 1 + quiet, bottom + 1 + 16))


def module_width(barcode: Image.Image) -> int:
    """The narrowest bar or space in the bottom row of bars, in pixels (2 or 3 printer dots)."""
    w, h = barcode.size
    px = barcode.load()
    y = h - 20  # below the human-readable code, inside the bars
    runs, run, prev = [], 0, px[0, y] < 128
    for x in range(w):
        dark = px[x, y] < 128
        if dark == prev:
            run += 1
        else:
            runs.append(run)
            run, prev = 1, dark
    return min(runs[1:])  # the first run is the quiet zone


def camera_frame(barcode: Image.Image, width: int, height: int) -> Image.Image:
    scale = min(MODULE_PX / module_width(barcode), 0.9 * width / barcode.width)
    label = barcode.resize(
        (round(barcode.width * scale), round(barcode.height * scale)), Image.BILINEAR
    )
    frame = Image.new("L", (width, height), 150)  # a grey shelf edge around the white label
    pad = 24
    paper = Image.new("L", (label.width + 2 * pad, label.height + 2 * pad), 235)
    paper.paste(label, (pad, pad))
    frame.paste(paper, ((width - paper.width) // 2, (height - paper.height) // 2))
    return frame.filter(ImageFilter.GaussianBlur(BLUR))


def write_y4m(frame: Image.Image, out: Path, frames: int) -> None:
    w, h = frame.size
    chroma = b"\x80" * ((w // 2) * (h // 2))
    with out.open("wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1 C420jpeg\n".encode())
        luma = frame.tobytes()
        for _ in range(frames):
            f.write(b"FRAME\n" + luma + chroma + chroma)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("code")
    parser.add_argument("out", type=Path)
    parser.add_argument("--png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--frames", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        barcode = crop_barcode(render_label_png(args.code, Path(tmp)))
    frame = camera_frame(barcode, args.width, args.height)
    if args.png:
        frame.save(args.png)
    write_y4m(frame, args.out, args.frames)


if __name__ == "__main__":
    main()

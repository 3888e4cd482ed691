"""Write a y4m video of a Code128 barcode, for Chromium's fake camera.

    python make_y4m.py CODE OUT.y4m [--width 640 --height 480 --frames 15]

The bars come straight from python-barcode's module pattern (1 = bar), drawn
on white with a quiet zone, as wide as the frame allows. No ffmpeg needed:
y4m is a text header, then per frame "FRAME\\n" + Y plane + U + V (4:2:0).
"""

from __future__ import annotations

import argparse

import barcode


def modules(code: str) -> str:
    return barcode.get("code128", code).build()[0]


def frame_luma(pattern: str, width: int, height: int) -> bytes:
    quiet = 12  # modules of white either side (the standard asks for 10)
    module_px = max(1, width // (len(pattern) + 2 * quiet))
    bar_w = len(pattern) * module_px
    left = (width - bar_w) // 2
    row = bytearray(b"\xff" * width)
    for i, bit in enumerate(pattern):
        if bit == "1":
            start = left + i * module_px
            row[start : start + module_px] = b"\x10" * module_px
    bar_h = int(height * 0.55)
    top = (height - bar_h) // 2
    white = b"\xff" * width
    return white * top + bytes(row) * bar_h + white * (height - top - bar_h)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("code")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--frames", type=int, default=15)
    args = parser.parse_args()

    w, h = args.width, args.height
    y = frame_luma(modules(args.code), w, h)
    chroma = b"\x80" * ((w // 2) * (h // 2))
    with open(args.out, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(args.frames):
            f.write(b"FRAME\n")
            f.write(y)
            f.write(chroma)
            f.write(chroma)


if __name__ == "__main__":
    main()

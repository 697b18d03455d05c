#!/usr/bin/env python3
"""Draws src/Package/icon.png (128x128, the package icon): a nabla (an inverted triangle
outline) in white over a rounded square shaded from deep blue to teal. Standard library only (zlib + struct); 4x4 supersampling for smooth edges.
Run: python3 src/Package/make-icon.py  (writes icon.png next to this script)."""
import os
import struct
import zlib

SIZE, SS = 128, 4


def inside_rounded_square(x, y, margin=4.0, radius=22.0):
    lo, hi = margin, SIZE - margin
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    return lo <= x <= hi and lo <= y <= hi and (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_triangle(x, y, top, bottom, half_width):
    """Inverted triangle: a flat top edge at y=top from 64-half_width to 64+half_width, apex at y=bottom."""
    if y < top or y > bottom:
        return False
    t = (y - top) / (bottom - top)
    return abs(x - SIZE / 2) <= half_width * (1 - t)


def inside_nabla(x, y):
    outer = inside_triangle(x, y, 26, 108, 46)
    inner = inside_triangle(x, y, 39, 86, 28)   # the hole: a stroke of about 13 px
    return outer and not inner


def pixel(px, py):
    r = g = b = a = 0.0
    for sy in range(SS):
        for sx in range(SS):
            x, y = px + (sx + 0.5) / SS, py + (sy + 0.5) / SS
            if not inside_rounded_square(x, y):
                continue
            t = (x + y) / (2 * SIZE)                  # diagonal shade: deep blue -> teal
            cr, cg, cb = 20 + 10 * t, 50 + 110 * t, 120 + 60 * t
            if inside_nabla(x, y):
                cr, cg, cb = 250, 250, 250
            r, g, b, a = r + cr, g + cg, b + cb, a + 255
    n = SS * SS
    covered = a / 255
    if covered == 0:
        return (0, 0, 0, 0)
    return (round(r / covered), round(g / covered), round(b / covered), round(a / n))


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main():
    rows = bytearray()
    for py in range(SIZE):
        rows.append(0)                                 # filter: none
        for px in range(SIZE):
            rows.extend(pixel(px, py))
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
           + chunk(b"IEND", b""))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(out, "wb") as f:
        f.write(png)
    print(f"wrote {out} ({len(png)} bytes, {SIZE}x{SIZE})")


if __name__ == "__main__":
    main()

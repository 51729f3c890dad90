#!/usr/bin/env python3
"""scripts/extract-vmlinux.py BZIMAGE OUT -- the plain ELF kernel inside a compressed bzImage.

What the Linux source's scripts/extract-vmlinux does, in Python: a bzImage
is a small decompressor followed by the compressed kernel; look for the
magic of each compressor the kernel supports (xz, gzip, zstd, lzma), try to
decompress from every place the magic occurs, and keep the first result
that is an ELF file. QEMU boots that ELF directly through its PVH note
(scripts/linux-ref), skipping the slow decompression under emulation.
Exit status 1 if no stream decompresses to an ELF.
"""
import gzip
import lzma
import sys
import zlib

try:
    import zstandard  # optional: Debian's python3-zstandard
except ImportError:
    zstandard = None


def candidates(data):
    magics = [
        (b"\xfd7zXZ\x00", lambda b: lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(b)),
        (b"\x1f\x8b\x08", lambda b: zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(b)),
        (b"\x5d\x00\x00", lambda b: lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(b)),
    ]
    if zstandard is not None:
        magics.append((b"\x28\xb5\x2f\xfd",
                       lambda b: zstandard.ZstdDecompressor().decompressobj().decompress(b)))
    for magic, decompress in magics:
        at = data.find(magic)
        while at >= 0:
            yield at, decompress
            at = data.find(magic, at + 1)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-vmlinux.py BZIMAGE OUT")
    data = open(sys.argv[1], "rb").read()
    for at, decompress in candidates(data):
        try:
            out = decompress(data[at:])
        except (lzma.LZMAError, zlib.error, gzip.BadGzipFile, EOFError, Exception):
            continue
        if out[:4] == b"\x7fELF":
            open(sys.argv[2], "wb").write(out)
            print(f"extract-vmlinux: {len(out)} bytes of ELF from offset {at}")
            return 0
    print("extract-vmlinux: no compressed ELF kernel found", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

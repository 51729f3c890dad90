#!/usr/bin/env python3
"""scripts/check-layers.py -- check every #include against scripts/layers.conf.

Prints one line per include that the layer rules forbid,
    kernel/base/sched/scheduler.cpp:33: includes vm/map.h: layer base may not include layer vm
and a summary line; exits 1 if there was any. Headers outside the project
(<new>, <stdarg.h>, <sanitizer/...>) are not checked. A header named by a
"private" line may be included only from its own directory. An include <arch/x.h>
resolves to arch/include/arch/x.h, as the compiler's -Iarch/include does.
"""
import os
import re
import sys

ROOTS = ("arch", "boot", "kernel", "vm", "fs", "tests/ktest")
SOURCE = re.compile(r".*\.(h|hpp|cpp|c|S|inc)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def read_rules(path):
    layers, upcalls, private = [], [], []   # [(name, [dirs])], [(from_dir, header)], [(header, dir)]
    with open(path) as f:
        for number, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if words[0] == "layer" and len(words) >= 3:
                layers.append((words[1], [w.rstrip("/") for w in words[2:]]))
            elif words[0] == "upcall" and len(words) >= 3:
                upcalls += [(words[1].rstrip("/"), h) for h in words[2:]]
            elif words[0] == "private" and len(words) == 3:
                private.append((words[1], words[2].rstrip("/")))
            else:
                sys.exit(f"{path}:{number}: cannot read this line")
    return layers, upcalls, private


def under(path, prefix):
    return path == prefix or path.startswith(prefix + "/")


def layer_of(path, layers):
    """(index, name) of the layer whose longest directory holds `path`."""
    best = None
    for index, (name, dirs) in enumerate(layers):
        for d in dirs:
            if under(path, d) and (best is None or len(d) > best[2]):
                best = (index, name, len(d))
    return best[:2] if best else None


def resolve(include):
    """The project file an include names, or None for a system header."""
    for candidate in (include, os.path.join("arch/include", include)):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    return None


def main():
    rules = sys.argv[1] if len(sys.argv) > 1 else "scripts/layers.conf"
    layers, upcalls, private = read_rules(rules)
    bad = checked = 0
    for root in ROOTS:
        for dirpath, _, files in os.walk(root):
            for name in sorted(files):
                path = os.path.join(dirpath, name)
                if not SOURCE.match(name):
                    continue
                src = layer_of(path, layers)
                if src is None:
                    print(f"{path}: in no layer of {rules}")
                    bad += 1
                    continue
                with open(path, errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = resolve(m.group(1))
                        if target is None or os.path.dirname(target) == os.path.dirname(path):
                            continue
                        checked += 1
                        owner = next((d for h, d in private if h == target), None)
                        if owner is not None and not under(path, owner):
                            print(f"{path}:{number}: includes {target}, which is private to "
                                  f"{owner}/ ({rules})")
                            bad += 1
                            continue
                        dst = layer_of(target, layers)
                        if dst is None or dst[0] <= src[0]:
                            continue
                        if any(under(path, frm) and target == hdr for frm, hdr in upcalls):
                            continue
                        print(f"{path}:{number}: includes {target}: layer {src[1]} "
                              f"may not include layer {dst[1]} ({rules})")
                        bad += 1
    print(f"check-layers: {checked} includes checked, {bad} forbidden")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

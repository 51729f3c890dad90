#!/usr/bin/env python3
"""scripts/check-doc-refs.py -- check that every piece of code the book cites exists.

The book (docs/**/*.md and README.md) cites code by symbol, never by line
number, so that it stays true while the code moves -- as long as somebody
notices when a file is renamed or a function goes. This script notices.
It prints one line per broken citation,

    docs/vfs.md:42: fs/vfs/file.cpp:File::wirte: no `wirte` in fs/vfs/file.cpp

then a summary line, and exits 1 if there was any (0 otherwise).

What counts as a citation, and what is accepted (exactly):

  FILE:SYMBOL   anywhere in a line: FILE is a name ending in a source-like
                extension (.cpp .h .c .S .inc .py .sh .conf .mk .ld .cfg),
                with or without directories; SYMBOL starts with a letter, '_'
                or '~' and is made of letters, digits, '_', '~' and '::'
                (a trailing "()" is allowed and ignored).
                FILE must exist: a name with a '/' is taken from the top of
                the tree (a leading "./" or "../" is dropped); a bare name
                (`sys_file.cpp`) must be the name of at least one file in the
                tree, and the citation holds if one of those files has the
                symbol. The symbol is accepted when its last '::' component
                (for `Class::member`, the member) occurs in the file as a
                whole word. One more form is accepted for system calls:
                `sys_NAME` when the file registers NAME with
                `SYSCALL(n, NAME)` or `SYSCALL_ALIAS(n, NAME, ...)`.
  FILE:NUMBER   a citation by line number: reported, except inside a code
                block (fenced by ```, or indented by four spaces after a
                blank line), where it is console output (a failing test
                prints file:line).
  `PATH`        a code span that is a path into the tree: it starts with
                one of the tree's top directories (arch/ boot/ kernel/ vm/
                fs/ user/ tests/ scripts/ tools/ docs/) and has a '/'. It
                must name an existing file or directory; `*` and `?` are
                globs and must match something. Not checked: paths under
                build/ (made by the build); placeholders (a span with '<',
                as `user/tests/<name>_test.c`); and paths into another
                system's tree -- a span whose sentence names Linux, NetBSD,
                FreeBSD, OpenBSD, xv6 or SerenityOS before it, or that sits
                in a table column whose heading names one (`fs/namei.c` in
                "Linux `fs/namei.c` (link_path_walk)").
  [text](LINK)  a Markdown link that is not a URL or an #anchor: relative
                to the Markdown file's directory, it must exist.

Usage: python3 scripts/check-doc-refs.py [FILE.md ...]   (run from the top
of the tree; with no arguments, README.md and docs/**/*.md).
"""
import glob
import os
import re
import sys

EXT = r"(?:cpp|h|c|S|inc|py|sh|conf|mk|ld|cfg)"
FILE_SYMBOL = re.compile(
    r"(?<![\w./-])((?:\.{1,2}/)*[\w./-]*\w\." + EXT + r"):([A-Za-z_~][\w~]*(?:::[\w~]+)*)(?:\(\))?")
FILE_LINE = re.compile(r"(?<![\w./-])((?:\.{1,2}/)*[\w./-]*\w\." + EXT + r"):(\d+)\b")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FOREIGN = re.compile(r"\b(Linux|NetBSD|FreeBSD|OpenBSD|xv6|SerenityOS)\b")
TOP_DIRS = ("arch", "boot", "kernel", "vm", "fs", "user", "tests", "scripts", "tools", "docs")
SKIP_DIRS = {".git", "build"}


def tree_files():
    """Every file of the tree (not build/ or .git/), by relative path."""
    files = []
    for root, dirs, names in os.walk("."):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for n in names:
            files.append(os.path.normpath(os.path.join(root, n)))
    return files


FILES = tree_files()
BY_NAME = {}
for path in FILES:
    BY_NAME.setdefault(os.path.basename(path), []).append(path)
TEXT = {}


def text_of(path):
    if path not in TEXT:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                TEXT[path] = f.read()
        except OSError:
            TEXT[path] = ""
    return TEXT[path]


def strip_relative(path):
    while path.startswith("./") or path.startswith("../"):
        path = path.split("/", 1)[1]
    return path


def candidates(name):
    """The files a cited FILE may mean (empty: none exists)."""
    name = strip_relative(name)
    if "/" in name:
        return [name] if os.path.isfile(name) else []
    return BY_NAME.get(name, [])


def has_symbol(path, symbol):
    member = symbol.split("::")[-1]
    text = text_of(path)
    if re.search(r"(?<![\w~])" + re.escape(member) + r"(?!\w)", text):
        return True
    if member.startswith("sys_"):
        call = re.escape(member[len("sys_"):])
        return re.search(r"\bSYSCALL(?:_ALIAS)?\(\s*\d+\s*,\s*" + call + r"\s*[,)]", text) is not None
    return False


def check_file_symbol(name, symbol):
    found = candidates(name)
    if not found:
        return f"no file {strip_relative(name)}"
    if any(has_symbol(p, symbol) for p in found):
        return None
    member = symbol.split("::")[-1]
    return f"no `{member}` in {' or '.join(found)}"


def check_path(span):
    path = span.strip().rstrip(".,;:")
    if " " in path or "<" in path or not any(path.startswith(d + "/") for d in TOP_DIRS):
        return None
    if FILE_SYMBOL.match(path) or FILE_LINE.match(path):
        return None  # checked as a citation
    if path.startswith("build/"):
        return None
    if any(c in path for c in "*?"):
        return None if glob.glob(path) else f"nothing matches {path}"
    return None if os.path.exists(path) else f"no file or directory {path}"


def check_link(doc, target):
    if re.match(r"^[a-z]+:", target) or target.startswith("#"):
        return None
    path = os.path.normpath(os.path.join(os.path.dirname(doc), target.split("#", 1)[0]))
    return None if os.path.exists(path) else f"link to missing {path}"


def item_start(lines, index):
    """Index of the first line of the list item or paragraph holding lines[index]."""
    while index > 0:
        line = lines[index]
        if re.match(r"^\s*([-*]|\d+\.)\s", line) or not lines[index - 1].strip():
            return index
        index -= 1
    return 0


def foreign(lines, index, column):
    """Does the text around lines[index][:column] say it is another system's?"""
    line = lines[index]
    if line.lstrip().startswith("|"):
        top = index
        while top > 0 and lines[top - 1].lstrip().startswith("|"):
            top -= 1
        cell = line[:column].count("|") - 1
        heading = lines[top].split("|")[1:]
        return cell < len(heading) and FOREIGN.search(heading[cell]) is not None
    start = item_start(lines, index)
    before = " ".join(lines[start:index] + [line[:column]])
    sentence = re.split(r"[.!?]\s+(?=[A-Z`])", before)[-1]
    return FOREIGN.search(sentence) is not None


def check_doc(doc):
    """The broken citations of `doc`, and how many citations it makes."""
    problems = []
    count = 0
    with open(doc, encoding="utf-8") as f:
        lines = f.read().split("\n")
    fenced = indented = False
    for index, line in enumerate(lines):
        number = index + 1
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if line.startswith("    ") and (indented or index == 0 or not lines[index - 1].strip()):
            indented = True
        elif line.strip():
            indented = False
        for m in FILE_SYMBOL.finditer(line):
            count += 1
            why = check_file_symbol(m.group(1), m.group(2))
            if why:
                problems.append((number, f"{m.group(1)}:{m.group(2)}", why))
        if not fenced and not indented:
            for m in FILE_LINE.finditer(line):
                count += 1
                problems.append((number, m.group(0), "cites a line number (cite a symbol)"))
        for m in CODE_SPAN.finditer(line):
            if foreign(lines, index, m.start()):
                continue
            why = check_path(m.group(1))
            count += why is not None or is_tree_path(m.group(1))
            if why:
                problems.append((number, m.group(1), why))
        for m in LINK.finditer(line):
            count += 1
            why = check_link(doc, m.group(1))
            if why:
                problems.append((number, m.group(1), why))
    return problems, count


def is_tree_path(span):
    path = span.strip().rstrip(".,;:")
    return " " not in path and any(path.startswith(d + "/") for d in TOP_DIRS)


def main():
    docs = sys.argv[1:] or ["README.md"] + sorted(glob.glob("docs/**/*.md", recursive=True))
    broken = cited_total = 0
    for doc in docs:
        problems, count = check_doc(doc)
        for number, cited, why in problems:
            print(f"{doc}:{number}: {cited}: {why}")
        broken += len(problems)
        cited_total += count
    print(f"check-doc-refs: {len(docs)} documents, {cited_total} citations, "
          f"{broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

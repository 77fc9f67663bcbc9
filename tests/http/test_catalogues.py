"""The translation catalogues are complete: every English string marked in
app/*.c and assets/templates/*.html has a translation in each language,
none is fuzzy, and every translation keeps the msgid's printf conversions.

Needs no server and no database (no fixtures from conftest).  extract.sh
runs on a copy of app/ and assets/ in a temporary directory, so the real
assets/i18n files are never touched; a string added to the source without
a translation shows up here as "untranslated".
"""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LANGS = ("ckb", "kmr-Arab", "ar")

# A C printf conversion: %%, or % [n$] [flags] [width] [.precision]
# [length] conversion.
CONV = re.compile(
    r"%(?:%|(?:(\d+)\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGaAcspnm]))")


def needs(tool):
    if shutil.which(tool) is None:
        pytest.skip("%s not installed (apt-get install gettext)" % tool)


@pytest.fixture(scope="module")
def tree():
    for tool in ("xgettext", "msgcat", "msgmerge", "msgfmt", "awk"):
        needs(tool)
    tmp = tempfile.mkdtemp(prefix="magnet-i18n-")
    try:
        shutil.copytree(os.path.join(TOP, "app"), os.path.join(tmp, "app"))
        shutil.copytree(os.path.join(TOP, "assets"),
                        os.path.join(tmp, "assets"))
        out = subprocess.run(["sh", "assets/i18n/extract.sh"], cwd=tmp,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stdout + out.stderr
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def unquote(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(
        m.group(1), m.group(1)), s)


def entries(path):
    """(msgid, msgstr, flags) of every live entry but the header."""
    out = []
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    for b in blocks:
        flags = set()
        field = None
        cur = {}
        for line in b.split("\n"):
            if line.startswith("#~"):
                cur = {}
                break
            if line.startswith("#,"):
                flags |= {x.strip() for x in line[2:].split(",")}
                continue
            if line.startswith("#") or not line.strip():
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) '
                         r'"(.*)"$', line)
            if m:
                field = m.group(1)
                cur[field] = unquote(m.group(2))
                continue
            m = re.match(r'"(.*)"$', line)
            if m and field:
                cur[field] += unquote(m.group(1))
        if cur.get("msgid"):
            out.append((cur["msgid"],
                        cur.get("msgstr", cur.get("msgstr[0]", "")), flags))
    return out


def conversions(s):
    """The conversions of s: numbered ones as a sorted list of (n, conv),
    the others in order; %% is left out."""
    found = [(m.group(1), m.group(0)) for m in CONV.finditer(s)
             if m.group(0) != "%%"]
    if any(n for n, _ in found):
        return sorted((int(n or 0), c) for n, c in found)
    return [c for _, c in found]


@pytest.mark.parametrize("lang", LANGS)
def test_no_untranslated_or_fuzzy(tree, lang):
    po = os.path.join(tree, "assets", "i18n", lang + ".po")
    out = subprocess.run(["msgfmt", "--check", "--statistics",
                          "-o", os.devnull, po],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    stats = out.stderr.strip()
    missing = [mid for mid, mstr, flags in entries(po)
               if not mstr or "fuzzy" in flags]
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        "%s.po: %s\nmissing or fuzzy:\n  %s" % (lang, stats,
                                                "\n  ".join(missing)))
    assert re.match(r"\d+ translated messages?\.$", stats), stats


@pytest.mark.parametrize("lang", LANGS)
def test_printf_conversions_match(tree, lang):
    po = os.path.join(tree, "assets", "i18n", lang + ".po")
    bad = []
    for mid, mstr, _ in entries(po):
        if mstr and conversions(mid) != conversions(mstr):
            bad.append("%r -> %r" % (mid, mstr))
    assert not bad, "%s.po: conversions differ:\n  %s" % (
        lang, "\n  ".join(bad))


@pytest.mark.parametrize("lang", LANGS)
def test_markup_and_addresses_kept(tree, lang):
    """Markdown examples and addresses in a msgid ("**bold**",
    "[link](https://…)", "/guides/NUMBER", "https://") survive in the
    translation: the words inside may change, the markers may not."""
    po = os.path.join(tree, "assets", "i18n", lang + ".po")
    marks = re.compile(r"https://\S*?(?=[)\s]|$)|/guides/NUMBER|\*\*|"
                       r"\]\(|##")
    bad = []
    for mid, mstr, _ in entries(po):
        if mstr and sorted(marks.findall(mid)) != sorted(
                marks.findall(mstr)):
            bad.append("%r -> %r" % (mid, mstr))
    assert not bad, "%s.po: markup differs:\n  %s" % (lang,
                                                      "\n  ".join(bad))


def test_real_catalogues_are_current(tree):
    """The committed .po files already hold every msgid (extract.sh was
    run after the last string change), so the build's .mo files cover the
    source."""
    for lang in LANGS:
        real = {m for m, _, _ in entries(
            os.path.join(TOP, "assets", "i18n", lang + ".po"))}
        fresh = {m for m, _, _ in entries(
            os.path.join(tree, "assets", "i18n", lang + ".po"))}
        new = sorted(fresh - real)
        assert not new, ("%s.po lacks strings; run make i18n-extract and "
                         "translate:\n  %s" % (lang, "\n  ".join(new)))


# The plural rule each language needs (issue 17): Sorani and Bahdini two
# forms like English, Arabic six (zero, one, two, 3-10, 11-99, other),
# exactly as app/i18n.c reads them.
PLURALS = {
    "ckb": (2, "(n != 1)"),
    "kmr-Arab": (2, "(n != 1)"),
    "ar": (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
              ": n%100>=11 ? 4 : 5)"),
}
# Forms that stand for one count only (one: n == 1; Arabic two: n == 2)
# may say the number in words instead of %s.
SINGLE = {"ckb": {0}, "kmr-Arab": {0}, "ar": {1, 2}}


def plural_entries(path):
    """(msgid, msgid_plural, [msgstr[0], ...]) of every plural entry."""
    out = []
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    for b in blocks:
        cur, field = {}, None
        for line in b.split("\n"):
            if line.startswith("#"):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) '
                         r'"(.*)"$', line)
            if m:
                field = m.group(1)
                cur[field] = unquote(m.group(2))
            elif re.match(r'"(.*)"$', line) and field:
                cur[field] += unquote(line[1:-1])
        if "msgid_plural" in cur:
            forms = []
            while "msgstr[%d]" % len(forms) in cur:
                forms.append(cur["msgstr[%d]" % len(forms)])
            out.append((cur["msgid"], cur["msgid_plural"], forms))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms(tree, lang):
    """Each catalogue's Plural-Forms is its language's, and every plural
    entry gives all the forms, each with the msgid's conversions (a form
    for one count only may leave the number out)."""
    po = os.path.join(TOP, "assets", "i18n", lang + ".po")
    with open(po, encoding="utf-8") as f:
        header = f.read().split("\n\n")[0].replace('"\n"', "")
    m = re.search(r"Plural-Forms: nplurals=(\d+); plural=(.*?);\\n", header)
    assert m, "%s.po: no Plural-Forms header" % lang
    n, expr = PLURALS[lang]
    assert int(m.group(1)) == n, m.group(0)
    assert m.group(2).replace(" ", "") == expr.replace(" ", ""), m.group(0)
    found = plural_entries(po)
    assert len(found) >= 4, "the relative times and counts are plurals"
    bad = []
    for mid, mplural, forms in found:
        if len(forms) != n or not all(forms):
            bad.append("%r: %d forms of %d" % (mid, len(
                [f for f in forms if f]), n))
            continue
        for i, form in enumerate(forms):
            if conversions(form) != conversions(mplural) and not (
                    i in SINGLE[lang] and conversions(form) == []):
                bad.append("%r [%d]: %r" % (mid, i, form))
    assert not bad, "%s.po:\n  %s" % (lang, "\n  ".join(bad))

"""Accuracy of the local engine against plain ``RapidOCR()``: the public evaluation set as it is,
and every page of it turned and skewed.

    .venv/bin/python benchmarks/bench_accuracy.py [--quick] [--only SUBSTR[,..]] [--angles A,B,..]
                                                  [--skip-set] [--skip-rotation] [--skip-small] [--receipts N]
                                                  [--resample linear|cubic] [--corners border|white|black]
                                                  [--save NAME] [--compare NAME] [--no-cache]
                                                  [--detector KEY=VALUE[,..]]
    .venv/bin/python benchmarks/bench_accuracy.py --saved NAME --compare OTHER

1. The set (../shared/eval/public, or DESKTOP_OCR_EVAL): both engines on every image; per subset
   and for ALL, the evaluation scorer's det F1, e2e F1, tolerant e2e F1, line CER and page CER,
   ours and plain side by side; and the page CER of each engine's text in its own order (what a
   user copies; the scorer re-orders both texts by their boxes' rows, so its page CER moves with a
   pixel of a box where a tall box joins rows) against the upright page's reading order.
2. Rotation: every upright page of the set (all but the ``rotated`` subset) and N long narrow
   till receipts drawn here (tests/drawing.receipt: dense rows, item and amount as separate
   pieces), each turned by 90/180/270 and skewed by +-5/+-10/+-15 degrees (``--angles``; positive =
   clockwise), pixels and ground truth carried through the same transform (skews resampled
   bilinearly, or bicubically with ``--resample cubic``; the new corners filled with the page's
   border colour, or white or black as an image editor leaves them with ``--corners``). Both
   engines read every variant. Per
   angle: det F1 / e2e F1 by the scorer against the turned ground truth; page CER in each
   engine's own reading order against the ground truth's upright reading order (the text a user
   copies); ours' page-CER delta against the same page read upright, and the angle
   error (reported angle minus the turn minus the angle reported on the upright page, so a scan's
   own slight skew is not counted), median and worst over pages. Then the issue's target as a
   count: the page/angle pairs off upright (CER delta over 0.02 or angle error over 2 degrees),
   each put down to one cause: the angle; text lost, added or misread (the order-free character
   bag differs from upright's by over 0.02 of the page); or else the reading order alone; and
   counted apart for documents (forms, receipts) and photos (scenes, signs, plates). And, as a
   measure of how much of that a reading's own instability accounts for, the same count for each
   upright page nudged in ways that leave its text and layout as they are (NUDGES: cut by 1, 2 or 3
   px on every side, every pixel where it was less that; shrunk to 98 percent, resampled
   bilinearly as a skew is; saved once more as a JPEG of quality 90): the pages whose reading
   moves that much with no turn at all, against the share of turned pairs off (--nudges picks
   them; --quick cuts by 2 px only). Per page as well: the pairs off that went further than the
   same page went under any of its nudges (a CER delta over both 0.02 and the page's largest
   nudged delta, or an angle error over both 2 degrees and its largest nudged error), which a
   reading's own jitter does not account for.

3. Small images (a captured line, a snippet): lines of real pages cut out by their ground-truth
   boxes with margins of 3 and 12 px (a neighbour's edge may show, as in a user's selection), and
   short lines drawn here on tight margins (24-48 px text), and labels and amounts drawn and cut
   out 1 and 3 px around their ink (13-30 px type, dark on light and light on dark: a tight
   selection on screen), and those labels again turned by 180 degrees (which way up a line of a
   few characters is, told both ways); both engines read each whole image
   (full pipeline); exact lines (scorer's normalisation, spaces ignored) and CER against the line.

Plain RapidOCR's readings are cached under .bench-out/accuracy-cache/ by pixels and rapidocr
version (they cannot change unless rapidocr does; --no-cache reads them again). No timings here:
speed is bench_engine.py's.

--save NAME keeps this run's figures in .bench-out/accuracy-NAME.json; --compare NAME prints
every figure of this run next to that saved run's (before/after tables for an engine change), and
the turned/skewed pairs that went off upright or came back within it, with their figures; a
note says so when the two runs read other pages (--only, --angles, --receipts), since figures
over all pages then compare different pages. --saved NAME --compare OTHER reads nothing and
compares two saved runs (one of them made on another checkout, say).
--detector thresh=0.25,unclip_ratio=1.8 (any of rapid.DET_KNOBS: thresh, box_thresh, unclip_ratio)
sets our detector's post-processing otherwise for the run, to tune it on the public set: the run
keeps the settings it read with, and --compare says when the saved run's were others. Plain
RapidOCR keeps its defaults (0.3, 0.5, 1.6).
--quick (CI): two images of the set, one page and one receipt at 90 and 10 degrees.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import evalset  # noqa: E402
from bench_engine import (  # noqa: E402
    EVAL,
    OUT,
    drawn_line,
    line_crop,
    load_scorer,
    our_lines,
    plain_lines,
    plain_rapidocr,
)

from desktop_ocr.core import rapid, rotation  # noqa: E402
from desktop_ocr.core.engine import LocalEngine  # noqa: E402
from desktop_ocr.core.image import LoadedImage  # noqa: E402
from desktop_ocr.core.model import normalize_angle  # noqa: E402
from tests.drawing import receipt, tight_line  # noqa: E402
from tests.evalpage import dontcare, gt_page  # noqa: E402

ANGLES = [90, 180, 270, 5, -5, 10, -10, 15, -15]
KEYS = ["det_f1", "e2e_f1", "tol_e2e_f1", "line_cer", "page_cer"]
LOWER_IS_BETTER = ("cer", "delta", "err", "off")  # in a figure's name
OFF_CER, OFF_ANGLE = 0.02, 2.0  # a pair is off upright beyond these (the done-when)
#: how an upright page is nudged for the noise floor of part 2 (see nudged)
NUDGES = ("cut2", "cut1", "cut3", "scale98", "jpeg90")
PHOTO_SUBSETS = ("ccpd", "icdar2015", "rects")  # photographs of scenes, signs and plates; the rest are documents
CACHE = OUT / "accuracy-cache"


class Plain:
    """Plain RapidOCR() with its readings cached by pixels (see the module docstring)."""

    def __init__(self, use_cache: bool) -> None:
        self.ocr = plain_rapidocr()
        self.use_cache = use_cache
        CACHE.mkdir(parents=True, exist_ok=True)

    def __call__(self, rgb: np.ndarray) -> list[dict]:
        key = hashlib.sha1(rapid.version().encode() + str(rgb.shape).encode() + rgb.tobytes()).hexdigest()
        f = CACHE / f"{key}.json"
        if self.use_cache and f.exists():
            return json.loads(f.read_text(encoding="utf-8"))
        lines = plain_lines(self.ocr(np.ascontiguousarray(rgb[:, :, ::-1])))
        f.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        return lines


def pages(only: list[str], receipts: int) -> list[tuple[str, np.ndarray, dict]]:
    """(stem, RGB pixels, ground truth) of the set's images (``rotated`` included: part 1 only)
    and of the drawn receipts (subset ``receipt``: part 2 only)."""
    out = []
    for p in sorted((EVAL / "images").iterdir()):
        if p.suffix.lower() not in (".jpg", ".jpeg", ".png") or (only and not any(o in p.stem for o in only)):
            continue
        gt = json.loads((EVAL / "gt" / f"{p.stem}.json").read_text(encoding="utf-8"))
        out.append((p.stem, np.asarray(Image.open(p).convert("RGB")).copy(), gt))
    for i in range(receipts):
        img, pieces = receipt(seed=i, rows=30 + 6 * i, width=480 + 40 * (i % 3))
        lines = [{"text": t, "polygon": [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]} for t, (x0, y0, x1, y1) in pieces]
        out.append((f"receipt__{i:02d}", np.asarray(img).copy(), {"lines": lines, "subset": "receipt"}))
    return out


def turned(rgb: np.ndarray, gt: dict, angle: float, resample: str = "linear",
           corners: str = "border") -> tuple[np.ndarray, dict]:
    """The page turned clockwise by ``angle`` (its text then reads at ``angle``) and the ground
    truth carried along. Skews are resampled bilinearly (``rotation.warp_image``, as the engine
    deskews) or, with ``resample="cubic"``, bicubically: a second kind of skewed input, which
    tells a change that reads skewed pages better from one that suits one resampling. ``corners``:
    what fills the corners a skew opens (the page's border colour, or white or black)."""
    h, w = rgb.shape[:2]
    m, nw, nh = rotation.rotation_matrix(w, h, -angle)
    flags = cv2.INTER_CUBIC if resample == "cubic" else cv2.INTER_LINEAR
    fill = {"border": None, "white": (255.0, 255.0, 255.0), "black": (0.0, 0.0, 0.0)}[corners]
    px = np.ascontiguousarray(rotation.warp_image(rgb, m, (nw, nh), flags, fill))
    lines = [{**ln, "polygon": rotation.apply_matrix(np.asarray(ln["polygon"], float), m).tolist()}
             for ln in gt["lines"]]
    return px, {**gt, "lines": lines}


def nudge(how: str) -> tuple[str, int]:
    """("cut" | "scale" | "jpeg", N) of a nudge's name; ValueError for anything else."""
    m = re.fullmatch(r"(cut|scale|jpeg)(\d+)", how)
    if m is None:
        raise ValueError(f"unknown nudge {how!r} (one of {', '.join(NUDGES)})")
    return m.group(1), int(m.group(2))


def nudged(rgb: np.ndarray, gt: dict, how: str = "cut2") -> tuple[np.ndarray, dict]:
    """The page nudged ``how`` (one of NUDGES: "cutN", N px cut off every side; "scaleP", shrunk to
    P percent, bilinearly; "jpegQ", saved as a JPEG of quality Q and read back), and the ground
    truth carried along."""
    kind, n = nudge(how)
    h, w = rgb.shape[:2]
    if kind == "cut":
        px = rgb[n:h - n, n:w - n]
        lines = [{**ln, "polygon": (np.asarray(ln["polygon"], float) - n).tolist()} for ln in gt["lines"]]
    elif kind == "scale":
        nw, nh = max(1, round(w * n / 100)), max(1, round(h * n / 100))
        px = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_LINEAR)
        lines = [{**ln, "polygon": (np.asarray(ln["polygon"], float) * (nw / w, nh / h)).tolist()}
                 for ln in gt["lines"]]
    else:
        ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(rgb[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, n])
        assert ok, "OpenCV encodes any 8-bit RGB page as JPEG"
        px, lines = cv2.imdecode(buf, cv2.IMREAD_COLOR)[:, :, ::-1], gt["lines"]
    return np.ascontiguousarray(px), {**gt, "lines": lines}


def page_cer(scorer, gt: dict, texts: list[str]) -> float:
    """Page CER of ``texts`` in their own order against ``gt`` (upright) in reading order."""
    ref, norm = gt_page(scorer, gt)
    return scorer.edit_distance("".join(norm(t) for t in texts), ref) / max(1, len(ref))


def bag_error(scorer, gt: dict, texts: list[str]) -> float:
    """Characters missing plus characters extra against ``gt``, in any order, per character of
    the page: what a reading lost or misread, whatever its order."""
    ref, norm = gt_page(scorer, gt)
    want, got = collections.Counter(ref), collections.Counter("".join(norm(t) for t in texts))
    return (sum((want - got).values()) + sum((got - want).values())) / max(1, len(ref))


def off_cause(row: dict) -> str | None:
    """Why a turned/skewed reading is off its upright one (None: it is not)."""
    if row["err"] > OFF_ANGLE:
        return "angle"
    if row["delta"] <= OFF_CER:
        return None
    return "text" if row["text_delta"] > OFF_CER else "order"


def norm_for(scorer, gt: dict):
    hint = gt.get("text_compare") or {}
    return scorer.make_normalizer(bool(hint.get("casefold")), hint.get("strip_chars") or "")


def summary(scorer, recs: list[dict]) -> dict:
    s = scorer.summarize(recs, [])
    return {k: s[k] for k in KEYS}


def upright_matrix(gt: dict):
    """The matrix turning a ``rotated`` copy back upright (from its recorded transform), or None."""
    for t in gt.get("transforms") or []:
        words = t.split()
        if len(words) >= 2 and words[0] == "rotated" and words[1].lstrip("-").isdigit():
            return rotation.rotation_matrix(gt["width"], gt["height"], int(words[1]))[0]
    return None


def own_order(scorer, gt: dict, lines: list[dict]) -> tuple[int, int]:
    """Edits and characters of the text of ``lines`` in their own order (the text a user copies)
    against the ground truth in the scorer's reading order of the upright page. Lines lying mostly
    inside the ground truth's don't-care regions (text its annotators could not read) are left
    out, as the scorer leaves them out of every figure of its own."""
    ref, norm = gt_page(scorer, gt, upright_matrix(gt))
    text = "".join(norm(ln["text"]) for ln in cared(scorer, gt, lines))
    return scorer.edit_distance(text, ref), len(ref)


def cared(scorer, gt: dict, lines: list[dict]) -> list[dict]:
    """``lines`` without those of which over half lies inside the don't-care regions of ``gt``
    (the scorer's rule)."""
    regions = [p for ln in gt["lines"] if dontcare(ln) for p in [scorer.to_polygon(ln["polygon"])] if p is not None]
    if not regions:
        return lines
    union = scorer.unary_union(regions)
    return [ln for ln in lines if (p := scorer.to_polygon(ln["polygon"])) is None
            or scorer.inside_frac(p, union) <= 0.5]


def cared_texts(scorer, gt: dict, lines: list[dict]) -> list[str]:
    """The texts of cared(``lines``), in their order."""
    return [ln["text"] for ln in cared(scorer, gt, lines)]


def line_edits(scorer, gt: dict, lines: list[dict], norm) -> dict[int, tuple[int, int]]:
    """{index of a cared-for ground-truth line: (edits, characters)} for the lines the scorer
    matches one to one (its rule: don't-care lines left out, IoU 0.5 or more, highest first), the
    pairs its line CER is summed over."""
    care = [(i, p, norm(ln["text"])) for i, ln in enumerate(gt["lines"])
            if not dontcare(ln) and (p := scorer.to_polygon(ln["polygon"])) is not None]
    preds = [(p, norm(ln["text"])) for ln in cared(scorer, gt, lines)
             if (p := scorer.to_polygon(ln["polygon"])) is not None]
    pairs = sorted(((v, g, k) for g, (_, gp, _) in enumerate(care) for k, (pp, _) in enumerate(preds)
                    if (v := scorer.iou(gp, pp)) >= 0.5), key=lambda t: -t[0])
    used_g, used_p, out = set(), set(), {}
    for _, g, k in pairs:
        if g in used_g or k in used_p:
            continue
        used_g.add(g)
        used_p.add(k)
        out[care[g][0]] = (scorer.edit_distance(preds[k][1], care[g][2]), len(care[g][2]))
    return out


def read_set(engine, plain, scorer, items) -> dict:
    print("== 1. the evaluation set: ours vs plain RapidOCR(), the scorer's metrics per subset ==")
    recs: dict[str, dict[str, list]] = {}
    own: dict[str, dict[str, list[int]]] = {}
    both: dict[str, list[int]] = {}  # subset: [our edits, plain's edits, characters, lines]
    for stem, rgb, gt in items:
        if gt.get("subset") == "receipt":
            continue
        res = engine.recognize(LoadedImage(rgb))
        sub = gt.get("subset") or stem.split("__")[0]
        matched = {}
        for name, lines in (("ours", our_lines(res)), ("plain", plain(rgb))):
            rec = scorer.eval_image(gt, {"lines": lines}, norm_for(scorer, gt), 0.5)
            edits, chars = own_order(scorer, gt, lines)
            matched[name] = line_edits(scorer, gt, lines, norm_for(scorer, gt))
            for key in (sub, "ALL"):
                recs.setdefault(key, {"ours": [], "plain": []})[name].append(rec)
                tally = own.setdefault(key, {}).setdefault(name, [0, 0])
                tally[0], tally[1] = tally[0] + edits, tally[1] + chars
        for g in matched["ours"].keys() & matched["plain"].keys():
            for key in (sub, "ALL"):
                t = both.setdefault(key, [0, 0, 0, 0])
                t[0] += matched["ours"][g][0]
                t[1] += matched["plain"][g][0]
                t[2] += matched["ours"][g][1]
                t[3] += 1
    table = {sub: {name: summary(scorer, r) | {"own_page_cer": own[sub][name][0] / max(1, own[sub][name][1])}
                   for name, r in by.items()} | {"images": len(by["ours"])}
             for sub, by in sorted(recs.items(), key=lambda kv: (kv[0] == "ALL", kv[0]))}
    cols = [*KEYS, "own_page_cer"]
    head = "  ".join(f"{k:>17s}" for k in cols)
    print(f"{'subset':10s} {'n':>3s}  {head}\n{'':15s}" + "  ".join(f"{'ours  plain':>17s}" for _ in cols))
    for sub, row in table.items():
        cells = "  ".join(f"{row['ours'][k]:8.3f} {row['plain'][k]:8.3f}" for k in cols)
        print(f"{sub:10s} {row['images']:3d}  {cells}")
    print("(page_cer: the scorer's, both texts in its row order by box; own_page_cer: each engine's lines in the "
          "order it gives them, the text a user copies, against the upright page's)")
    print("line CER on the ground-truth lines both engines match (the scorer's is over the lines each one matches, "
          "and one that finds more lines matches harder ones):")
    for sub, (ours_ed, plain_ed, chars, n) in sorted(both.items(), key=lambda kv: (kv[0] == "ALL", kv[0])):
        table[sub]["ours"]["both_line_cer"] = ours_ed / max(1, chars)
        table[sub]["plain"]["both_line_cer"] = plain_ed / max(1, chars)
        print(f"  {sub:10s} {n:4d} lines  ours {ours_ed / max(1, chars):.3f}  plain {plain_ed / max(1, chars):.3f}")
    return table


def read_turned(engine, plain, scorer, items, angles: list[int], resample: str = "linear",
                corners: str = "border", nudges: Sequence[str] = NUDGES) -> dict:
    print(f"\n== 2. rotation: upright pages turned/skewed by {angles} degrees (clockwise positive; "
          f"skews resampled {'bicubically' if resample == 'cubic' else 'bilinearly'}, corners filled with "
          f"{'the border colour' if corners == 'border' else corners}) ==")
    per_angle: dict[int, dict] = {}
    rows = []
    noise: list[dict] = []  # each upright page nudged (NUDGES): the reading's own noise floor
    for stem, rgb, gt in items:
        if (gt.get("subset") or stem.split("__")[0]) == "rotated":
            continue
        care = [ln for ln in gt["lines"] if not dontcare(ln)]
        if not care:
            continue
        base = engine.recognize(LoadedImage(rgb))
        base_texts = cared_texts(scorer, gt, our_lines(base))
        base_cer = page_cer(scorer, gt, base_texts)
        base_bag = bag_error(scorer, gt, base_texts)
        norm = norm_for(scorer, gt)
        plain_base = page_cer(scorer, gt, cared_texts(scorer, gt, plain(rgb)))
        line = [f"{stem:28s} upright CER {base_cer:.3f} (plain {plain_base:.3f})"]
        for how in nudges:
            px, tgt = nudged(rgb, gt, how)
            res = engine.recognize(LoadedImage(px))
            texts = cared_texts(scorer, tgt, our_lines(res))
            cer = page_cer(scorer, gt, texts)
            noise.append({"stem": stem, "nudge": how, "angle": 0, "err": abs(normalize_angle(res.angle - base.angle)),
                          "cer": cer, "delta": cer - base_cer, "text_delta": bag_error(scorer, gt, texts) - base_bag})
            line.append(f"{how}: {cer:.3f} ({cer - base_cer:+.3f})")
        nudged_here = noise[len(noise) - len(nudges):]  # the most they moved: the page's own jitter
        jitter_delta = max((abs(r["delta"]) for r in nudged_here), default=0.0)
        jitter_err = max((r["err"] for r in nudged_here), default=0.0)
        for a in [0, *angles]:
            px, tgt = turned(rgb, gt, a, resample, corners) if a else (rgb, gt)
            res = base if a == 0 else engine.recognize(LoadedImage(px))
            theirs = plain(px)
            ours = our_lines(res)
            texts = cared_texts(scorer, tgt, ours)
            row = {"stem": stem, "angle": a,
                   "err": abs(normalize_angle(res.angle - a - base.angle)),
                   "cer": page_cer(scorer, gt, texts),
                   "plain_cer": page_cer(scorer, gt, cared_texts(scorer, tgt, theirs))}
            row["delta"] = row["cer"] - base_cer
            row["text_delta"] = bag_error(scorer, gt, texts) - base_bag
            row["jitter_delta"], row["jitter_err"] = jitter_delta, jitter_err
            slot = per_angle.setdefault(a, {"ours": [], "plain": [], "rows": []})
            slot["ours"].append(scorer.eval_image(tgt, {"lines": ours}, norm, 0.5))
            slot["plain"].append(scorer.eval_image(tgt, {"lines": theirs}, norm, 0.5))
            slot["rows"].append(row)
            rows.append(row)
            if a:
                line.append(f"{a:+d}: {row['cer']:.3f} ({row['delta']:+.3f}, angle err {row['err']:.1f})")
        print(" | ".join(line), flush=True)
    table = {}
    print(f"\n{'angle':>5s} {'pages':>5s} {'det F1 ours':>11s} {'plain':>6s} {'e2e F1 ours':>11s} {'plain':>6s} "
          f"{'page CER ours':>13s} {'plain':>6s} {'CER delta vs upright: median':>29s} {'worst':>6s} "
          f"{'angle err median':>16s} {'worst':>6s}")
    for a in [0, *angles]:
        slot = per_angle.get(a)
        if not slot:
            continue
        o, p, rs = summary(scorer, slot["ours"]), summary(scorer, slot["plain"]), slot["rows"]
        worst = max(rs, key=lambda r: r["delta"])
        t = {"pages": len(rs), "ours": o, "plain": p,
             "cer": statistics.fmean(r["cer"] for r in rs), "plain_cer": statistics.fmean(r["plain_cer"] for r in rs),
             "delta_median": statistics.median(r["delta"] for r in rs), "delta_worst": worst["delta"],
             "delta_worst_page": worst["stem"],
             "err_median": statistics.median(r["err"] for r in rs), "err_worst": max(r["err"] for r in rs)}
        table[str(a)] = t
        print(f"{a:5d} {t['pages']:5d} {o['det_f1']:11.3f} {p['det_f1']:6.3f} {o['e2e_f1']:11.3f} {p['e2e_f1']:6.3f} "
              f"{t['cer']:13.3f} {t['plain_cer']:6.3f} {t['delta_median']:+29.3f} {t['delta_worst']:+6.3f} "
              f"{t['err_median']:16.2f} {t['err_worst']:6.2f}   worst CER delta: {t['delta_worst_page']}")
    print("(page CER: mean over pages, in each engine's own order against the upright reading order)")
    table["off"] = pairs_off(rows)
    table["noise"] = noise_floor(noise)
    return {"angles": table, "rows": rows}


def noise_floor(rows: list[dict]) -> dict:
    """The upright pages whose reading moves off itself as a turned pair would (off_cause) when
    only nudged (NUDGES), counted per nudge and in all."""
    off = [(r, off_cause(r)) for r in rows]
    off = [(r, c) for r, c in off if c]
    kinds = {kind: (sum(_kind(r) == kind for r, _ in off), sum(_kind(r) == kind for r in rows))
             for kind in ("document", "photo")}
    print(f"noise floor: upright pages nudged (their text and layout as they are), off their own upright reading "
          f"by the same measure: {len(off)} of {len(rows)} ({len(off) / max(1, len(rows)):.1%}; "
          + ", ".join(f"{kind}s {n} of {total}" for kind, (n, total) in kinds.items()) + ")")
    by_nudge = {}
    for how in dict.fromkeys(r["nudge"] for r in rows):
        these = [(r, c) for r, c in off if r["nudge"] == how]
        by_nudge[how] = len(these)
        print(f"  {how:8s} {len(these)} of {sum(r['nudge'] == how for r in rows)}"
              + (": " + ", ".join(f"{r['stem']} {c}" for r, c in these) if these else ""))
    return {"off": len(off), "pages": len(rows), "off_documents": kinds["document"][0],
            "off_photos": kinds["photo"][0], "by_nudge": by_nudge}


def beyond_jitter(row: dict) -> bool:
    """Whether a pair off upright (off_cause) went further than its page's reading moved under any
    nudge: its CER delta over both OFF_CER and the page's largest nudged delta, or its angle error
    over both OFF_ANGLE and the page's largest nudged error. Rows saved before the nudges were kept
    per page have no jitter: every pair off counts."""
    if not off_cause(row):
        return False
    return (row["err"] > max(OFF_ANGLE, row.get("jitter_err", 0.0))
            or row["delta"] > max(OFF_CER, row.get("jitter_delta", 0.0)))


def pairs_off(rows: list[dict]) -> dict:
    """The turned/skewed pairs off their upright reading, counted and put down to their causes."""
    turned_rows = [r for r in rows if r["angle"]]
    off = [(r, off_cause(r)) for r in turned_rows]
    off = [(r, c) for r, c in off if c]
    causes = collections.Counter(c for _, c in off)
    print(f"\npairs off upright (page CER delta > {OFF_CER} or angle error > {OFF_ANGLE:g}): {len(off)} of "
          f"{len(turned_rows)} ({len(off) / max(1, len(turned_rows)):.1%}); by cause: angle {causes['angle']}, "
          f"text lost or misread {causes['text']}, reading order alone {causes['order']}")
    kinds = {kind: (sum(_kind(r) == kind for r, _ in off), sum(_kind(r) == kind for r in turned_rows))
             for kind in ("document", "photo")}
    print("  by kind of page: " + ", ".join(f"{kind}s {n} of {total}" for kind, (n, total) in kinds.items()))
    for cause in ("angle", "text", "order"):
        pages = collections.Counter(r["stem"] for r, c in off if c == cause)
        if pages:
            print(f"  {cause:6s} " + ", ".join(f"{s} x{n}" if n > 1 else s for s, n in pages.most_common()))
    beyond = [(r, c) for r, c in off if beyond_jitter(r)]
    print(f"  of those, beyond what the same page's reading moved under any nudge (its own jitter): {len(beyond)}"
          + "".join(f"\n    {r['stem']:28s} {r['angle']:+4d} {c}: CER delta {r['delta']:+.3f} (nudged up to "
                    f"{r.get('jitter_delta', 0.0):.3f}), angle err {r['err']:.1f} (nudged up to "
                    f"{r.get('jitter_err', 0.0):.1f})"
                    for r, c in beyond))
    return {"off": len(off), "off_angle": causes["angle"], "off_text": causes["text"], "off_order": causes["order"],
            "off_documents": kinds["document"][0], "off_photos": kinds["photo"][0], "off_beyond_jitter": len(beyond)}


def _kind(row: dict) -> str:
    """"photo" for a page of the set's photo subsets (street scenes, signs, plates), else "document"
    (forms, receipts, the drawn till receipts)."""
    return "photo" if row["stem"].split("__")[0] in PHOTO_SUBSETS else "document"


SMALL_STEMS = ["sroie__025", "sroie__100", "xfund_zh__zh_val_0", "xfund_zh__zh_val_5", "funsd__82092117",
               "funsd__82251504", "rects__000003", "icdar2015__img_1"]
SMALL_DRAWN = ["2024-05-21 09:42", "Invoice No. INV-2024-0042", "Qty 3 x 19.99 = 59.97", "订单号: 20240521-8842",
               "上海浦东 Pudong 200120", "E-mail: info@example.com", "合计 Total 128.50", "电话 021-6234 5678"]
#: short labels and amounts cut out 1 and 3 px around their ink (a tight selection on screen), in
#: SMALL_TIGHT_SIZES px type, dark on white, light on dark and grey on light grey
SMALL_TIGHT = ["[06]", "6.60 *", "(614) 466-5087", "Fax: 0571", "合计 128.50", "NO. 17", "A12", "1/3", "*特价*",
               "OK", "#42", "¥ 35.00", "第3页", "→ 下一步", "x 2"]
SMALL_TIGHT_SIZES = (13, 18, 24, 30)
SMALL_TIGHT_MARGINS = (1, 3)
SMALL_TIGHT_COLOURS = (("white", "black"), ((40, 40, 60), (220, 220, 230)), ((245, 245, 245), (90, 90, 90)))


def small_images(scorer, per_page: int, stems: list[str], drawn: list[str],
                 tight: list[str]) -> list[tuple[str, np.ndarray, str, object]]:
    """(group, RGB pixels, true text, normaliser) of part 3 (see the module docstring)."""
    out = []
    for stem in stems:
        path = next((EVAL / "images").glob(stem + ".*"), None)
        if path is None:
            continue
        gt = json.loads((EVAL / "gt" / f"{stem}.json").read_text(encoding="utf-8"))
        norm = norm_for(scorer, gt)
        page = np.asarray(Image.open(path).convert("RGB"))
        lines = [ln for ln in gt["lines"] if not dontcare(ln)
                 and len(norm(ln.get("text", ""))) >= 2][:per_page]
        for ln in lines:
            for margin in (3, 12):
                out.append((f"real, margin {margin}", line_crop(page, ln["polygon"], margin), ln["text"], norm))
    plain_norm = scorer.make_normalizer(False, "")
    out += [("drawn", drawn_line(text, i), text, plain_norm) for i, text in enumerate(drawn)]
    labels = [("drawn, tight", tight_line(text, size, margin, *colours), text, plain_norm)
              for size in SMALL_TIGHT_SIZES for colours in SMALL_TIGHT_COLOURS for text in tight
              for margin in SMALL_TIGHT_MARGINS]
    # the same labels upside down: which way up a line of a few characters is read
    return out + labels + [("drawn, tight, upside down", np.ascontiguousarray(px[::-1, ::-1]), text, norm)
                           for _, px, text, norm in labels]


def read_small(engine, plain, scorer, items) -> dict:
    print("\n== 3. small images: a line cut out of a real page, or drawn, read whole by the full pipeline ==")
    acc: dict[str, dict[str, list[float]]] = {}
    for group, px, text, norm in items:
        want = norm(text).replace(" ", "")
        ours = [ln.text for ln in engine.recognize(LoadedImage(px)).lines]
        theirs = [x["text"] for x in plain(px)]
        for name, texts in (("ours", ours), ("plain", theirs)):
            got = norm("".join(texts)).replace(" ", "")
            for key in (group, "ALL"):
                slot = acc.setdefault(key, {}).setdefault(name, [0, 0, 0, 0])  # exact, n, edits, chars
                slot[0] += got == want
                slot[1] += 1
                slot[2] += scorer.edit_distance(got, want)
                slot[3] += len(want)
    print(f"{'images':26s} {'n':>4s} {'exact ours':>10s} {'plain':>6s} {'CER ours':>9s} {'plain':>6s}")
    table = {}
    for key, by in sorted(acc.items(), key=lambda kv: (kv[0] == "ALL", kv[0])):
        o, p = by["ours"], by["plain"]
        table[key] = {"n": o[1], "ours": {"exact": o[0] / o[1], "cer": o[2] / max(1, o[3])},
                      "plain": {"exact": p[0] / p[1], "cer": p[2] / max(1, p[3])}}
        print(f"{key:26s} {o[1]:4d} {o[0]:6d} ({o[0] / o[1]:.2f}) {p[0]:3d} ({p[0] / p[1]:.2f}) "
              f"{table[key]['ours']['cer']:9.3f} {table[key]['plain']['cer']:6.3f}")
    return table


def _flatten(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _flatten(v, f"{prefix}{k}/")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            yield f"{prefix}{k}", float(v)


#: what a run read (saved with its figures), not a figure
SELECTION = ("only", "angles", "receipts")


def detector_knobs(spec: str) -> dict[str, float]:
    """``--detector``: "thresh=0.25,unclip_ratio=1.8" -> {"thresh": 0.25, "unclip_ratio": 1.8}
    (the engine's det_knobs refuses a name it does not know)."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, _, value = part.partition("=")
        try:
            out[key] = float(value)
        except ValueError:
            raise ValueError(f"--detector: {key} takes a number, not {value!r}") from None
    return out


def saved_path(name: str) -> Path:
    """Where ``--save NAME`` keeps a run."""
    return OUT / f"accuracy-{name}.json"


def compare(now: dict, name: str) -> None:
    """Every ours-figure of this run beside the saved run's, and which way it moved."""
    old_path = saved_path(name)
    if not old_path.exists():
        print(f"\n(no saved run {old_path} to compare with)")
        return
    raw = json.loads(old_path.read_text(encoding="utf-8"))
    old = dict(_flatten(raw))
    print(f"\n== this run against the saved run '{name}' (ours only; + better, - worse) ==")
    if now.get("corners", "border") != raw.get("corners", "border"):
        print(f"  (the saved run's skews had their corners filled with {raw.get('corners', 'border')}, this "
              f"run's with {now.get('corners', 'border')}: its rotation figures compare different inputs)")
    if now.get("resample", "linear") != raw.get("resample", "linear"):
        print(f"  (the saved run's skewed pages were resampled {raw.get('resample', 'linear')}, this run's "
              f"{now.get('resample', 'linear')}: its rotation figures compare different inputs)")
    if now.get("detector") and raw.get("detector") and now["detector"] != raw["detector"]:
        print(f"  (the detector's post-processing differs: {raw['detector']} in the saved run, {now['detector']} "
              f"in this one)")
    for what in SELECTION:
        if what in now and what in raw and now[what] != raw[what]:
            print(f"  (the two runs read different pages: {what} {raw[what]} in the saved run, {now[what]} in "
                  f"this one; figures over all pages compare different pages)")
    for key, v in _flatten(now):  # part 3's groups: how many images each read, not a figure
        if key.startswith("small/") and key.endswith("/n"):
            group = key[len("small/"):-len("/n")]
            if key not in old:
                print(f"  (part 3's group '{group}' is new in this run: {v:g} images)")
            elif v != old[key]:
                print(f"  (part 3's group '{group}' read {old[key]:g} images in the saved run, {v:g} in this one: "
                      f"its figures compare different images)")
    worse = 0
    for key, v in _flatten(now):
        if "/plain" in key or "plain_" in key or key not in old or key.endswith("pages") or key.endswith("images") \
                or key.endswith("/n") or key in SELECTION or key.startswith("detector/"):
            continue
        d = v - old[key]
        if abs(d) < 0.0005:
            continue
        leaf = key.rsplit("/", 1)[-1]
        better = d < 0 if any(w in leaf for w in LOWER_IS_BETTER) else d > 0
        worse += not better
        print(f"  {key:45s} {old[key]:8.3f} -> {v:8.3f}  {'+' if better else '-'}")
    print(f"  ({worse} figure(s) worse)")
    if "pairs" in now and "pairs" in raw:
        compare_pairs(now["pairs"], raw["pairs"])
    elif "pairs" in now:
        print("\n  (the saved run has no turned/skewed pairs to compare: it skipped the rotation part, or was "
              "saved before runs kept them)")
    elif "pairs" in raw:
        print("\n  (this run has no turned/skewed pairs to compare: it skipped the rotation part, or was "
              "saved before runs kept them)")


def compare_pairs(now: list[dict], old: list[dict]) -> None:
    """The turned/skewed pairs whose verdict (off upright, and why) moved between two runs."""
    before = {(r["stem"], r["angle"]): r for r in old}
    moved = 0
    print("\n  pairs whose verdict moved (page CER delta vs upright, angle error; old -> new):")
    for r in now:
        o = before.get((r["stem"], r["angle"]))
        if not r["angle"] or o is None or off_cause(o) == off_cause(r):
            continue
        moved += 1
        print(f"  {r['stem']:28s} {r['angle']:+4d}: {off_cause(o) or 'within':6s} -> {off_cause(r) or 'within':6s} "
              f"CER delta {o['delta']:+.3f} -> {r['delta']:+.3f}, angle err {o['err']:.1f} -> {r['err']:.1f}")
    print(f"  ({moved} pair(s) moved)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a smoke run: 2 images, 1 page + 1 receipt at 90 and 10")
    ap.add_argument("--only", default="", help="only images whose name contains one of these (comma-separated)")
    ap.add_argument("--angles", default=",".join(map(str, ANGLES)), help="turns and skews, degrees clockwise")
    ap.add_argument("--corners", choices=("border", "white", "black"), default="border",
                    help="what fills the corners a skew opens: the page's border colour (default), white or black")
    ap.add_argument("--resample", choices=("linear", "cubic"), default="linear",
                    help="how part 2 makes its skewed pages (default linear, as the engine deskews)")
    ap.add_argument("--nudges", default=",".join(NUDGES),
                    help=f"how part 2's noise floor nudges each upright page (default {','.join(NUDGES)})")
    ap.add_argument("--receipts", type=int, default=4, help="drawn receipts in the rotation part (default 4)")
    ap.add_argument("--skip-set", action="store_true")
    ap.add_argument("--skip-rotation", action="store_true")
    ap.add_argument("--skip-small", action="store_true")
    ap.add_argument("--small-lines", type=int, default=25, help="lines cut out of each page in part 3 (default 25)")
    ap.add_argument("--save", help="keep this run's figures as .bench-out/accuracy-NAME.json")
    ap.add_argument("--compare", help="print this run against a saved run")
    ap.add_argument("--saved", metavar="NAME", help="read nothing: take the saved run NAME as this run "
                    "(with --compare, two saved runs side by side, in seconds)")
    ap.add_argument("--no-cache", action="store_true", help="read every image with plain RapidOCR again")
    ap.add_argument("--detector", default="", metavar="KEY=VALUE[,..]",
                    help="our detector's post-processing set otherwise for this run, to tune it on the set: "
                         f"{', '.join(rapid.DET_KNOBS)} (rapidocr's 0.3, 0.5, 1.6)")
    args = ap.parse_args(argv)
    try:
        knobs = detector_knobs(args.detector)
    except ValueError as exc:
        ap.error(str(exc))
    if args.saved:
        if not args.compare:
            ap.error("--saved NAME compares a saved run: give --compare OTHER too")
        if args.save:
            ap.error("--saved NAME reads nothing, so --save has nothing new to keep")
        path = saved_path(args.saved)
        if not path.exists():
            print(f"no saved run {path}", file=sys.stderr)
            return 2
        print(f"the saved run '{args.saved}' ({path})")
        compare(json.loads(path.read_text(encoding="utf-8")), args.compare)
        return 0
    if (code := evalset.absent(args.quick)) is not None:
        return code
    only = [o for o in args.only.split(",") if o]
    angles = [int(a) for a in args.angles.split(",") if a]
    receipts = args.receipts
    nudges = [n for n in args.nudges.split(",") if n]
    for how in nudges:
        try:
            nudge(how)
        except ValueError as exc:
            ap.error(f"--nudges: {exc}")
    if args.quick:
        only, angles, receipts = only or ["sroie__025", "xfund_zh__zh_val_0"], [90, 10], 1
        nudges = nudges[:1]
    OUT.mkdir(exist_ok=True)
    items = pages(only, receipts)
    engine = LocalEngine()
    engine.warm_up()
    try:
        detector = engine.det_knobs(**knobs)
    except ValueError as exc:
        ap.error(f"--detector: {exc}")
    plain, scorer = Plain(not args.no_cache), load_scorer()
    print(f"ours: LocalEngine ({engine.runtime_used} detector"
          + "".join(f", {k} {v}" for k, v in knobs.items()) + "); plain: RapidOCR() defaults, "
          f"rapidocr {rapid.version()}; {len(items)} images ({EVAL})")
    report: dict = {"only": only, "angles": angles, "receipts": receipts, "nudges": nudges, "resample": args.resample,
                    "corners": args.corners,
                    "detector": detector}
    if not args.skip_set:
        report["set"] = read_set(engine, plain, scorer, items)
    if not args.skip_rotation:
        rot_items = items[:1] + items[-1:] if args.quick else items
        turned_pages = read_turned(engine, plain, scorer, rot_items, angles, args.resample, args.corners, nudges)
        report["rotation"], report["pairs"] = turned_pages["angles"], turned_pages["rows"]
    if not args.skip_small:
        if args.quick:
            small = small_images(scorer, 2, SMALL_STEMS[:1], SMALL_DRAWN[:2], SMALL_TIGHT[:2])
        else:
            small = small_images(scorer, args.small_lines, SMALL_STEMS, SMALL_DRAWN, SMALL_TIGHT)
        report["small"] = read_small(engine, plain, scorer, small)
    (OUT / "bench_accuracy.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        compare(report, args.compare)
    if args.save:
        saved_path(args.save).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written: {OUT / 'bench_accuracy.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

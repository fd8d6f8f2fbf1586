"""Page rotation and skew on drawn pages: the same text in the same order as upright, the angle
within 2 degrees, and polygons on the ink in ORIGINAL (rotated) image coordinates."""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
import pytest
from PIL import Image

from desktop_ocr.core import rotation
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import normalize_angle
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import render_lines, tight_line

LINES = ["第一章 光学字符识别", "The quick brown fox 42", "识别结果按阅读顺序输出", "Invoice No. 2026-0415",
         "合计金额：1,234.50"]


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return render_lines(LINES, font_size=30)


@pytest.fixture(scope="module")
def upright(engine, page):
    res = engine.recognize(LoadedImage(np.asarray(page.convert("RGB")).copy()))
    assert [ln.text.replace(" ", "") for ln in res.lines] == [s.replace(" ", "") for s in LINES]
    return res


def _turn(page: Image.Image, angle: float) -> Image.Image:
    """Turn the page's content clockwise by ``angle`` degrees, canvas expanded."""
    return page.rotate(-angle, expand=True, fillcolor="white", resample=Image.BICUBIC)


def _upright_to_turned(pt, w, h, angle):
    """Where a point of the upright page lands after PIL's rotate(-angle, expand=True)."""
    m, _, _ = rotation.rotation_matrix(w, h, -angle)  # turning content clockwise by angle
    return rotation.apply_matrix(np.array(pt, dtype=float), m)


@pytest.mark.parametrize("angle", [90, 180, 270, 5, -5, 10, -10, 15, -15])
def test_turned_page_reads_like_upright(engine, page, upright, angle):
    turned = _turn(page, angle)
    arr = np.asarray(turned.convert("RGB")).copy()
    res = engine.recognize(LoadedImage(arr))
    assert res.angle_detected
    assert abs(normalize_angle(res.angle - angle)) <= 2.0
    # same lines, same order (spaces between CJK and Latin may differ; page CER ignores them)
    assert [ln.text.replace(" ", "") for ln in res.lines] == [ln.text.replace(" ", "") for ln in upright.lines]
    assert (res.width, res.height) == turned.size
    gray = np.asarray(turned.convert("L"))
    w, h = page.size
    for ln, up in zip(res.lines, upright.lines):
        # the polygon is where the upright line went under the same turn
        expect = _upright_to_turned(up.polygon, w, h, angle)
        got = np.array(ln.polygon)
        ecx, ecy = expect.mean(axis=0)
        gcx, gcy = got.mean(axis=0)
        assert math.hypot(ecx - gcx, ecy - gcy) < 12.0
        # reading-order polygon: the first point is the text's own top-left corner
        assert math.dist(got[0], expect[0]) < 25.0
        # and it sits on ink in the turned image
        x0, y0 = np.floor(got.min(axis=0)).astype(int)
        x1, y1 = np.ceil(got.max(axis=0)).astype(int)
        patch = gray[max(0, y0):y1, max(0, x0):x1]
        assert patch.size and (patch < 128).mean() > 0.05


def test_upright_page_reports_zero(upright):
    assert upright.angle_detected and upright.angle == 0.0


def test_rotation_can_be_switched_off(engine, page):
    arr = np.asarray(_turn(page, 180).convert("RGB")).copy()
    res = engine.recognize(LoadedImage(arr), RecognizeOptions(detect_rotation=False))
    assert not res.angle_detected and res.angle == 0.0


def test_char_boxes_follow_the_turn(engine, page):
    turned = _turn(page, 90)
    res = engine.recognize(LoadedImage(np.asarray(turned.convert("RGB")).copy()), RecognizeOptions(chars=True))
    first = res.lines[0]
    assert [c.text for c in first.chars][:3] == ["第", "一", "章"]
    # on a page turned clockwise by 90 the text runs downwards: characters go down the image
    ys = [np.mean([p[1] for p in c.polygon]) for c in first.chars]
    assert ys == sorted(ys)
    x0, y0, x1, y1 = first.bbox()
    for c in first.chars:
        for x, y in c.polygon:
            assert x0 - 3 <= x <= x1 + 3 and y0 - 3 <= y <= y1 + 3


# ---------------------------------------------------------------------------------------------
# geometry (no engine)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("angle", [0, 90, 180, -90, 3.5, -12.0, 37.0])
def test_transform_inverse_is_exact(angle):
    m, nw, nh = rotation.rotation_matrix(640, 480, angle)
    pts = np.array([[0, 0], [640, 0], [640, 480], [0, 480], [123.5, 77.25]])
    back = rotation.apply_matrix(rotation.apply_matrix(pts, m), np.linalg.inv(m))
    assert np.allclose(back, pts, atol=1e-9)
    corners = rotation.apply_matrix(pts[:4], m)
    assert corners.min() > -1e-6 and corners[:, 0].max() <= nw + 1e-6 and corners[:, 1].max() <= nh + 1e-6


@pytest.mark.parametrize("k", [1, 2, 3])
def test_quarter_turn_matrix_matches_array_rotation(k):
    img = np.zeros((40, 60, 3), np.uint8)
    img[5, 7] = 255  # one marked pixel, its centre at (7.5, 5.5)
    m, nw, nh = rotation.rotation_matrix(60, 40, 90.0 * k)
    out = rotation.warp_image(img, m, (nw, nh))
    assert out.shape[:2] == (nh, nw)
    y, x = np.argwhere(out[:, :, 0] == 255)[0]
    assert np.allclose(rotation.apply_matrix(np.array([7.5, 5.5]), m), [x + 0.5, y + 0.5])


@pytest.mark.parametrize("skew", [2.5, -7.0, 13.0])
def test_a_line_of_a_deskewed_page_is_cropped_from_the_page_as_given(skew):
    """A skewed page is deskewed (resampled) to be detected and ordered; each line's crop is taken
    from the page as given, through its box mapped back: the pixels rapidocr's own crop of that
    box there gives, resampled once, not a crop of the deskewed copy (resampled twice)."""
    from desktop_ocr.core import rapid
    from desktop_ocr.core.engine import _Source

    upright = np.asarray(render_lines(["Invoice No. 2026-0415 合计金额"], font_size=22).convert("RGB"))
    h, w = upright.shape[:2]
    tm, tw, th = rotation.rotation_matrix(w, h, -skew)  # the page as a user gives it, skewed
    given = np.ascontiguousarray(rotation.warp_image(upright, tm, (tw, th), cv2.INTER_CUBIC))
    # the line's box on the page as given (a tilted rectangle)
    box = rotation.apply_matrix(np.array([[30.0, 30.0], [w - 30.0, 30.0], [w - 30.0, h - 30.0], [30.0, h - 30.0]]), tm)
    m, nw, nh = rotation.rotation_matrix(tw, th, skew)  # the engine's deskew
    work = rotation.warp_image(given, m, (nw, nh))
    carried = (rotation.apply_matrix(box + 0.5, m) - 0.5).astype(np.float32)  # the box in the deskewed page
    direct = rapid.crop_line(given, box.astype(np.float32))
    crop = _Source.resampled(given, m).crop(carried)
    assert crop.shape == direct.shape
    assert np.abs(crop.astype(int) - direct.astype(int)).max() <= 2
    # the crop of the deskewed copy is another (blurrier) picture of the same line
    twice = rapid.crop_line(work, carried.copy())
    assert twice.shape == direct.shape
    assert np.abs(crop.astype(int) - direct.astype(int)).mean() < 0.01  # float rounding only
    assert np.abs(twice.astype(int) - direct.astype(int)).mean() > 1.0  # 3.1 grey levels measured
    # a straightened picture's canvas is RGB: its crop comes back BGR, as the recogniser reads
    rgb = _Source.resampled(given[:, :, ::-1], m, rgb=True).crop(carried)
    assert np.array_equal(rgb, crop)


def test_line_direction_from_boxes():
    def box(cx, cy, length, height, deg):
        t = math.radians(deg)
        u = np.array([math.cos(t), math.sin(t)]) * length / 2
        v = np.array([-math.sin(t), math.cos(t)]) * height / 2
        c = np.array([cx, cy])
        return np.array([c - u - v, c + u - v, c + u + v, c - u + v])

    quads = [box(300, 100 + 50 * i, 400, 30, 7.0) for i in range(6)] + [box(50, 50, 30, 28, 40.0)]
    direction, evidence = rotation.line_direction(quads)
    assert abs(direction - 7.0) < 0.5 and evidence > 0
    vertical = [box(100 + 50 * i, 300, 400, 30, 90.0 - 4.0) for i in range(6)]
    assert abs(rotation.line_direction(vertical)[0] - 86.0) < 0.5
    # two tilted plates report their own direction (a photo's signs are read along their tilt)
    assert 3.0 <= rotation.line_direction([box(100, 100, 200, 40, 3.0), box(100, 300, 200, 40, 4.0)])[0] <= 4.0
    assert abs(rotation.line_direction([box(100, 100, 200, 40, -2.0)])[0] + 2.0) < 0.5
    # ... while a couple of boxes' wobble of tenths of a degree is no tilt
    assert rotation.line_direction([box(100, 100, 200, 40, 0.4), box(100, 300, 200, 40, -0.2)])[0] == 0.0
    assert rotation.line_direction([box(100, 100, 40, 200, 0.0), box(300, 100, 40, 200, 0.0)])[0] == 90.0
    assert rotation.line_direction([box(0, 0, 20, 20, 0.0)]) == (0.0, 0.0)


def _plate(text: str, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Light letters on a dark plate, turned clockwise by ``angle`` on a light page: (BGR pixels,
    the plate's corners there)."""
    line = render_lines([text], font_size=44, margin=14)
    ink = np.asarray(line.convert("L")) < 128
    plate = np.empty(ink.shape + (3,), np.uint8)
    plate[...] = (150, 60, 20)  # BGR: blue
    plate[ink] = (235, 235, 235)
    page = np.full((plate.shape[0] + 160, plate.shape[1] + 160, 3), 215, np.uint8)
    page[80:80 + plate.shape[0], 80:80 + plate.shape[1]] = plate
    h, w = page.shape[:2]
    corners = np.array([[80, 80], [80 + plate.shape[1], 80], [80 + plate.shape[1], 80 + plate.shape[0]],
                        [80, 80 + plate.shape[0]]], dtype=np.float64)
    m, nw, nh = rotation.rotation_matrix(w, h, -angle)
    return rotation.warp_image(page, m, (nw, nh)), rotation.apply_matrix(corners, m)


@pytest.mark.parametrize("angle", [0.0, 4.0, -6.0, 11.0, -13.0])
@pytest.mark.parametrize("text", ["A999J3", "EXIT 12"])
def test_baseline_angle_finds_the_rows_of_ink_where_the_box_leans_otherwise(text, angle):
    # a short box gives its direction only to within a few degrees (a plate's box leans
    # differently at each size); the characters' rows give it within a few tenths, light letters
    # on a dark plate as well as dark on light, from a guess 5 degrees off either way
    img, corners = _plate(text, angle)
    for guess in (angle - 5.0, angle + 5.0):
        found = rotation.baseline_angle(img, corners, guess)
        assert found is not None and abs(normalize_angle(found - angle)) <= 0.6, (guess, found)
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    found = rotation.baseline_angle(grey, corners, angle + 3.0)
    assert found is not None and abs(normalize_angle(found - angle)) <= 0.6, found


def test_baseline_angle_says_nothing_without_ink():
    blank = np.full((200, 400, 3), 128, np.uint8)
    assert rotation.baseline_angle(blank, np.array([[50, 80], [350, 80], [350, 130], [50, 130]], float), 0.0) is None
    # a box too thin to hold a row of characters
    assert rotation.baseline_angle(blank, np.array([[50, 80], [350, 80], [350, 82], [50, 82]], float), 0.0) is None


def test_single_character_is_not_turned(engine):
    # one square box says nothing about direction: upright is the prior
    res = engine.recognize(LoadedImage(np.asarray(render_lines(["好"], font_size=60).convert("RGB")).copy()))
    assert res.angle == 0.0
    assert [ln.text for ln in res.lines] == ["好"]


@pytest.mark.parametrize("text,size", [("入口", 48), ("营业中", 40), ("STOP", 40)])
def test_a_short_sign_upside_down_is_turned_by_its_lines(engine, text, size):
    # one short word says little to the page's up/down estimate (a few sampled crops, upright
    # preferred unless clearly beaten); the line itself, read both ways, reads upside down: the
    # page is reported turned by 180 and its line starts at the image's right
    sign = render_lines([text], font_size=size)
    upright = engine.recognize(LoadedImage(np.asarray(sign.convert("RGB")).copy()))
    assert upright.angle == 0.0 and [ln.text for ln in upright.lines] == [text]
    res = engine.recognize(LoadedImage(np.asarray(sign.rotate(180).convert("RGB")).copy()))
    assert abs(normalize_angle(res.angle - 180.0)) <= 2.0, res.angle
    assert [ln.text for ln in res.lines] == [text]
    (x0, _), (x1, _) = res.lines[0].polygon[:2]
    assert x0 > x1  # reading runs right to left in the image as given


@pytest.mark.parametrize("margin", [1, 3])
def test_a_short_label_that_reads_surely_the_wrong_way_up_is_read_the_way_the_classifier_sees(engine, margin):
    # a tight capture of 'x 2', light on dark: upside down it reads '乙X' at 0.89, more surely than
    # the right way up ('X 2', 0.67), and it was reported turned by 180. The line classifier,
    # asked of the line and of it turned by 180, says which way is up at 0.9999 and more
    label = tight_line("x 2", 30, margin, (40, 40, 60), (220, 220, 230))
    for pixels, angle in ((label, 0.0), (np.ascontiguousarray(label[::-1, ::-1]), 180.0)):
        res = engine.recognize(LoadedImage(pixels))
        assert "".join(ln.text for ln in res.lines).replace(" ", "").lower() == "x2", res.lines
        assert abs(normalize_angle(res.angle - angle)) <= 2.0, res.angle


@pytest.mark.parametrize("text,colours", [("6.60 *", ("white", "black")),
                                           ("NO. 17", ((40, 40, 60), (220, 220, 230)))])
def test_a_label_of_turnable_characters_is_read_the_way_up_the_classifier_agrees_with_itself(engine, text, colours):
    # tight captures (cut 1 px around) of labels whose characters read as characters upside down
    # too: '6.60 *' turned by 180 read '* 09.9' (its point high), the classifier saying upside down
    # at 0.89 of it and upright at 0.994 of it turned back, under its threshold alone; 'NO. 17'
    # read the other way up, boxed in two, said more as '17' and '; ON' though the classifier says
    # upright of it both ways at 0.9999
    label = tight_line(text, 30, 1, *colours)
    for pixels, angle in ((label, 0.0), (np.ascontiguousarray(label[::-1, ::-1]), 180.0)):
        res = engine.recognize(LoadedImage(pixels))
        assert "".join(ln.text for ln in res.lines).replace(" ", "") == text.replace(" ", ""), res.lines
        assert abs(normalize_angle(res.angle - angle)) <= 2.0, res.angle


def _textless_photo(h: int, w: int, seed: int) -> np.ndarray:
    """A photo-like picture with no text: colour fields, blurred discs of all sizes, sensor noise,
    saved as a JPEG; RGB."""
    rng = np.random.default_rng(seed)
    fields = rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)
    img = cv2.resize(fields, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(40):
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        radius = int(rng.integers(w // 100, w // 10))
        cv2.circle(img, centre, radius, tuple(int(c) for c in rng.integers(0, 255, 3)), -1)
    img = cv2.GaussianBlur(img, (0, 0), 3)
    img = np.clip(img + rng.normal(0, 6, img.shape), 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", img)  # as a camera would hand it over, opened as the app does
    assert ok
    return np.asarray(Image.open(io.BytesIO(jpeg.tobytes())).convert("RGB")).copy()


def test_a_photo_without_text_is_not_turned_to_a_confident_stray(engine):
    # on this 12-megapixel picture the detector finds one box over all of it, which reads as a
    # stray ':' under 0.8. It was read the other way up and a quarter turn either way, and
    # turned by 90 the box read ':' at 0.98: reported as a picture turned by 90 with a sure line.
    # A box as large as the picture is not a line, and no stray single character decides a way
    res = engine.recognize(LoadedImage(_textless_photo(3000, 4000, 1)))
    assert res.angle == 0.0
    assert all(ln.score < 0.8 for ln in res.lines), [(ln.text, ln.score) for ln in res.lines]


def test_a_tight_capture_upside_down_and_skewed_is_read_the_other_way(engine):
    # a capture cut tight round one short word: its box covers most of the image, like the one
    # box over a large photo without text. Upside down and skewed by 10 it reads nothing the way
    # the page estimate turns it; being small, it is read the other way up too, and reads there
    # (the right way up; a box of two characters says little of its skew)
    sign = render_lines(["入口"], font_size=32, margin=2, spacing=1.2)
    res = engine.recognize(LoadedImage(np.asarray(sign.rotate(190, expand=True, fillcolor="white")).copy()))
    assert [ln.text for ln in res.lines] == ["入口"]
    assert abs(normalize_angle(res.angle - 170.0)) <= 15.0, res.angle


def _picture(h: int = 300, w: int = 480, seed: int = 3) -> np.ndarray:
    """A photo-like picture: smooth colour blobs, no flat run anywhere near a corner."""
    rng = np.random.default_rng(seed)
    small = rng.integers(40, 220, size=(h // 20, w // 20, 3)).astype(np.uint8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _on_canvas(pic: np.ndarray, angle: float, fill: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``pic`` turned clockwise by ``angle`` on a canvas of one flat grey ``fill``: (the image,
    the matrix from the picture to it, where the picture's corners went)."""
    h, w = pic.shape[:2]
    m, nw, nh = rotation.rotation_matrix(w, h, -angle)
    turned = rotation.warp_image(pic, m, (nw, nh), fill=(fill, fill, fill))
    return turned, m, rotation.apply_matrix(np.array([[0, 0], [w, 0], [w, h], [0, h]], float), m)


@pytest.mark.parametrize("angle", [3.0, -7.0, 15.0, -40.0])
def test_content_quad_finds_a_picture_turned_on_a_flat_canvas(angle):
    turned, _, corners = _on_canvas(_picture(), angle, 128.0)
    nh, nw = turned.shape[:2]
    quad = rotation.content_quad(turned)
    assert quad is not None
    # each found corner is one of the picture's corners, within the blend of its edge
    assert all(np.min(np.linalg.norm(corners - q, axis=1)) <= 3.0 for q in quad), (quad, corners)
    filled = rotation.fill_wedges(turned)
    assert filled.shape == turned.shape
    inside = np.zeros(turned.shape[:2], np.uint8)
    cv2.fillConvexPoly(inside, np.round(corners).astype(np.int32), 1)
    inside = cv2.erode(inside, np.ones((9, 9), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=0).astype(bool)
    assert np.array_equal(filled[inside], turned[inside])  # the picture is left as it was
    # the wedges go on from the picture's edges: just outside each edge, the colour just inside
    # it (the canvas's grey is gone)
    centre = corners.mean(axis=0)
    outside_now, outside_was, inside_px = [], [], []
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        normal = np.array([a[1] - b[1], b[0] - a[0]]) / np.linalg.norm(b - a)
        if np.dot(normal, (a + b) / 2 - centre) < 0:
            normal = -normal
        for t in np.linspace(0.1, 0.9, 17):
            p = a + t * (b - a)
            (ox, oy), (ix, iy) = np.round(p + 5 * normal).astype(int), np.round(p - 4 * normal).astype(int)
            if not (0 <= ox < nw and 0 <= oy < nh):
                continue  # a thin wedge: outside the edge is off the canvas there
            outside_now.append(filled[oy, ox].astype(int))
            outside_was.append(turned[oy, ox].astype(int))
            inside_px.append(turned[iy, ix].astype(int))
    now = np.abs(np.array(outside_now) - inside_px).mean()
    was = np.abs(np.array(outside_was) - inside_px).mean()
    assert np.all(np.array(outside_was) == 128)
    assert now < 12 and was > 3 * now, (now, was)


def test_content_quad_leaves_pages_and_upright_pictures_alone():
    pic = _picture()
    assert rotation.content_quad(pic) is None
    assert rotation.fill_wedges(pic) is pic
    # a page with plain white margins and a drawn turned page: the white runs along whole edges
    page = np.asarray(render_lines(LINES, font_size=30).convert("RGB"))[:, :, ::-1].copy()
    assert rotation.content_quad(page) is None
    turned = np.asarray(_turn(render_lines(LINES, font_size=30), 10).convert("RGB"))[:, :, ::-1].copy()
    assert rotation.content_quad(turned) is None
    # a picture on a canvas only shifted, not turned: flat margins, no triangles
    framed = np.full((400, 600, 3), 128, np.uint8)
    framed[50:350, 60:540] = pic
    assert rotation.content_quad(framed) is None
    # one flat corner of the picture's own is no canvas
    own = pic.copy()
    cv2.fillConvexPoly(own, np.array([[0, 0], [120, 0], [0, 90]], np.int32), (128, 128, 128))
    assert rotation.content_quad(own) is None


def test_content_quad_finds_a_large_turned_picture():
    # wedges over WEDGE_SAMPLES px across: their edges are fitted on a sample of rows and columns
    turned, _, corners = _on_canvas(_picture(3000, 5200, seed=5), 30.0, 255.0)
    quad = rotation.content_quad(turned)
    assert quad is not None and min(turned.shape[:2]) > 2 * rotation.WEDGE_SAMPLES
    assert all(np.min(np.linalg.norm(corners - q, axis=1)) <= 3.0 for q in quad), (quad, corners)


@pytest.mark.parametrize("angle, turn", [(3.0, 3.0), (-7.0, -7.0), (15.0, 15.0), (-40.0, -40.0), (80.0, -10.0)])
def test_straighten_cuts_a_turned_picture_out_upright(angle, turn):
    pic = _picture()
    turned, _, corners = _on_canvas(pic, angle, 255.0)
    found = rotation.straighten(turned)
    assert found is not None
    got, matrix, upright = found
    # a turn of 80 is one of -10 and a quarter, which the page's orientation then finds
    assert abs(got - turn) < 0.1, got
    expect = pic if abs(angle) < 45 else np.ascontiguousarray(np.rot90(pic, -1))  # clockwise
    assert abs(upright.shape[0] - expect.shape[0]) <= 3 and abs(upright.shape[1] - expect.shape[1]) <= 3
    # the picture as it was, cut a pixel inside its edges, resampled twice (turned and back)
    hh, ww = min(upright.shape[0], expect.shape[0]) - 4, min(upright.shape[1], expect.shape[1]) - 4
    diff = np.abs(upright[2:hh, 2:ww].astype(int) - expect[3:hh + 1, 3:ww + 1].astype(int)).mean()
    assert diff < 4.0, diff
    # the matrix takes the picture's corners on the canvas to the upright picture's corners
    there = rotation.apply_matrix(corners, matrix)
    assert np.all(there.min(axis=0) > -3) and np.all(there.max(axis=0) < np.array(upright.shape[1::-1]) + 3)


def test_straighten_leaves_slight_turns_views_in_perspective_and_pages_alone():
    pic = _picture()
    h, w = pic.shape[:2]
    assert rotation.straighten(_on_canvas(pic, 0.5, 255.0)[0]) is None  # below MIN_DESKEW: read as it is
    # a picture seen in perspective (a photo of a photo) is no rectangle turned
    canvas = np.full((420, 620, 3), 255, np.uint8)
    seen = np.float32([[80, 0], [620, 40], [560, 420], [0, 370]])  # a corner on each side
    warp = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), seen)
    canvas = cv2.warpPerspective(pic, warp, (620, 420), dst=canvas, borderMode=cv2.BORDER_TRANSPARENT)
    quad = rotation.content_quad(canvas)
    assert quad is not None and rotation.picture_turn(quad) is None
    assert rotation.straighten(canvas) is None
    turned = np.asarray(_turn(render_lines(LINES, font_size=30), 10).convert("RGB"))[:, :, ::-1].copy()
    assert rotation.straighten(turned) is None  # a white page on white: its lines say its skew


def _signboard() -> np.ndarray:
    """A photo-like picture with a white board of LINES in it (RGB)."""
    board = np.asarray(render_lines(LINES, font_size=30).convert("RGB"))
    pic = _picture(board.shape[0] + 160, board.shape[1] + 200, seed=7)[:, :, ::-1].copy()
    pic[80:80 + board.shape[0], 100:100 + board.shape[1]] = board
    return pic


@pytest.mark.parametrize("angle, lean", [(12.0, 0.0), (-8.0, 0.0), (10.0, 4.0)])
def test_a_picture_turned_on_a_canvas_reads_as_upright_where_its_lines_stand(engine, angle, lean):
    pic = _signboard()
    if lean:  # its board leaning in the picture: read deskewed, from the canvas in one resampling
        h, w = pic.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), -lean, 1.0)
        pic = cv2.warpAffine(pic, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    up = engine.recognize(LoadedImage(pic))
    assert abs(up.angle - lean) <= 0.5, up.angle
    assert [ln.text.replace(" ", "") for ln in up.lines] == [s.replace(" ", "") for s in LINES]
    turned, m, _ = _on_canvas(pic, angle, 40.0)
    res = engine.recognize(LoadedImage(turned))
    assert (res.height, res.width) == turned.shape[:2]
    assert res.angle_detected and abs(normalize_angle(res.angle - angle - up.angle)) <= 0.5, res.angle
    assert [ln.text.replace(" ", "") for ln in res.lines] == [ln.text.replace(" ", "") for ln in up.lines]
    for ln, u in zip(res.lines, up.lines):  # each line where the upright one went under the turn
        expect = rotation.apply_matrix(np.array(u.polygon, float), m)
        assert np.linalg.norm(np.array(ln.polygon).mean(axis=0) - expect.mean(axis=0)) < 6.0
        assert math.dist(ln.polygon[0], expect[0]) < 12.0


@pytest.mark.parametrize("angle", [10.0, -15.0])
def test_content_quad_finds_a_picture_whose_edge_is_partly_the_canvas_s_colour(angle):
    # a photo with an overexposed sky along its top, turned on a white canvas (an image editor's
    # corners): the wedges' rows run on past the picture's edge where the sky is white too
    pic = _picture(seed=11)
    pic[:40, 150:330] = 255
    turned, _, corners = _on_canvas(pic, angle, 255.0)
    found = rotation.turned_picture(turned)
    assert found is not None
    assert abs(found[0] - angle) < 0.1, found[0]
    assert all(np.min(np.linalg.norm(corners - q, axis=1)) <= 3.0 for q in found[1]), (found[1], corners)

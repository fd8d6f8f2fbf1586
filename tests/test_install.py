"""The install itself: only the headless OpenCV, models shipped in the wheel."""

from importlib import metadata

from desktop_ocr.core.engine import model_paths


def test_non_headless_opencv_is_not_installed():
    # opencv-python carries its own Qt plugins that clash with PySide6's.
    names = {d.metadata["Name"].lower() for d in metadata.distributions()}
    assert "opencv-python-headless" in names
    assert "opencv-python" not in names


def test_models_ship_with_the_wheel():
    paths = model_paths()
    assert set(paths) == {"Det.model_path", "Rec.model_path", "Cls.model_path"}

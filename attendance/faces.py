"""Detection, landmarks, quality and encodings with face_recognition (dlib), measures with
OpenCV. Detection runs on a downscaled copy (HOG); encodings on the full-resolution crop.

Only dlib's 5-point landmark model is used (public domain); the 68-point model's training data
is licensed for non-commercial use only (specs/attendance.md)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import face_recognition
import numpy as np

from attendance.errors import FaceError
from attendance.images import downscale

DETECT_SIDE = 640
MIN_FACE_PX = 80  # face box height in the full-resolution image
MIN_SHARPNESS = 25.0  # variance of the Laplacian on the face, normalised to 160 px
MAX_YAW = 0.22  # |nose offset between the eyes − 0.5|; 0 is frontal


Box = tuple[int, int, int, int]  # top, right, bottom, left (face_recognition's order)


@dataclass(frozen=True)
class Face:
    box: Box
    yaw: float  # signed: < 0 turned to the image's left, > 0 to its right
    sharpness: float
    encoding: np.ndarray | None = None

    @property
    def height(self) -> int:
        return self.box[2] - self.box[0]


def detect(img: np.ndarray, *, upsample: int = 1) -> list[Box]:
    small, factor = downscale(img, DETECT_SIDE)
    boxes = face_recognition.face_locations(
        small, number_of_times_to_upsample=upsample, model="hog"
    )
    h, w = img.shape[:2]
    return [
        (
            max(0, round(t * factor)),
            min(w, round(r * factor)),
            min(h, round(b * factor)),
            max(0, round(lf * factor)),
        )
        for t, r, b, lf in boxes
    ]


def yaw_of(landmarks: dict[str, list[tuple[int, int]]]) -> float:
    """Head turn from the 5 points: where the nose tip sits between the two eye centres."""
    left = np.mean(landmarks["left_eye"], axis=0)
    right = np.mean(landmarks["right_eye"], axis=0)
    nose = np.asarray(landmarks["nose_tip"][0], dtype=float)
    span = right[0] - left[0]
    if abs(span) < 1:
        return 1.0
    return float((nose[0] - left[0]) / span - 0.5)


def sharpness_of(img: np.ndarray, box: Box) -> float:
    top, right, bottom, left = box
    crop = cv2.cvtColor(img[top:bottom, left:right], cv2.COLOR_RGB2GRAY)
    if crop.size == 0:
        return 0.0
    scale = 160 / max(crop.shape[0], 1)
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(crop, cv2.CV_64F).var())


def analyse(img: np.ndarray, boxes: list[Box], *, encode: bool = True) -> list[Face]:
    """Landmarks, yaw, sharpness and (optionally) the 128-d encoding of each face."""
    if not boxes:
        return []
    marks = face_recognition.face_landmarks(img, boxes, model="small")
    encodings = (
        face_recognition.face_encodings(img, boxes, num_jitters=1, model="small")
        if encode
        else [None] * len(boxes)
    )
    return [
        Face(box, yaw_of(lm), sharpness_of(img, box), enc)
        for box, lm, enc in zip(boxes, marks, encodings, strict=True)
    ]


def enrolment_face(img: np.ndarray) -> Face:
    """The one usable face of an enrolment photo, or FaceError saying what is wrong."""
    boxes = detect(img)
    if not boxes:
        raise FaceError("face.none")
    if len(boxes) > 1:
        raise FaceError("face.many", count=len(boxes))
    face = analyse(img, boxes)[0]
    if face.height < MIN_FACE_PX:
        raise FaceError("face.small", pixels=face.height, minimum=MIN_FACE_PX)
    if face.sharpness < MIN_SHARPNESS:
        raise FaceError("face.blurry")
    if abs(face.yaw) > MAX_YAW:
        raise FaceError("face.not_frontal")
    return face

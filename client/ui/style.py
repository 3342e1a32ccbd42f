"""The look: calm light screens, a dark call area, large clear buttons.

Sizes are in ``em``/relative units or follow the app font, so a larger system
font (or 150 % text) grows every control with it.  Colours meet WCAG AA
contrast against their backgrounds; state is never shown by colour alone.
"""

STYLE_SHEET = """
QWidget#joinView, QWidget#firstRunView, QWidget#preJoinView, QWidget#waitingView {
    background: #f3f4f6;
}
QFrame#card {
    background: #ffffff;
    border: 1px solid #d0d4da;
    border-radius: 10px;
    padding: 14px;
}
QLabel#pageTitle { color: #1f2328; }
QLabel#errorText { color: #b3261e; }
QLabel#helpText { color: #4a5058; }
QLabel#roomPreview[state="ok"] { color: #1f2328; }
QLabel#roomPreview[state="error"] { color: #b3261e; }
QLabel#roomPreview[state="idle"] { color: #4a5058; }
QLabel#guardWarning {
    background: #fff4ce;
    color: #4d3800;
    border: 1px solid #e6c200;
    border-radius: 6px;
    padding: 8px;
}
QLabel#roomHint { color: #4a5058; }
QLabel#checkStatus { color: #1f2328; }
QPushButton { padding: 0.35em 1.0em; }
QPushButton#continueButton, QPushButton#joinButton {
    background: #0b57d0;
    color: #ffffff;
    border: none;
    border-radius: 6px;
    padding: 0.5em 1.6em;
    font-weight: bold;
}
QPushButton#continueButton:disabled, QPushButton#joinButton:disabled {
    background: #aab4c3;
    color: #f3f4f6;
}
QPushButton#continueButton:focus, QPushButton#joinButton:focus { border: 2px solid #1f2328; }
QWidget#callWindow { background: #1b1c1f; }
QWidget#callWindow QLabel#callHeader { color: #e8eaed; }
QWidget#videoCanvas { background: #1b1c1f; }
QWidget#callToolbar { background: #26272b; }
QWidget#callToolbar QToolButton {
    color: #f1f3f4;
    background: transparent;
    border: 1px solid transparent;
    border-radius: 8px;
    padding: 4px 8px;
}
QWidget#callToolbar QToolButton:hover { background: #3a3b40; }
QWidget#callToolbar QToolButton:focus { border: 2px solid #8ab4f8; }
QWidget#callToolbar QToolButton:checked { background: #3c4a63; }
QWidget#callToolbar QToolButton#microphoneButton:!checked,
QWidget#callToolbar QToolButton#cameraButton:!checked { background: #5c2b29; }
QWidget#callToolbar QToolButton#leaveButton { background: #c5221f; color: #ffffff; }
QWidget#callToolbar QToolButton#leaveButton:hover { background: #a50e0e; }
QLabel#reconnectBanner {
    background: #fbbc04;
    color: #202124;
    padding: 6px;
    font-weight: bold;
}
QLabel#noticeBanner {
    background: #e8f0fe;
    color: #174ea6;
    padding: 6px;
}
QWidget#chatPanel, QWidget#participantsPanel { background: #ffffff; }
QLabel#panelHeading { font-weight: bold; }
QWidget#callWindow QStackedWidget QWidget#waitingView { background: #f3f4f6; }
"""

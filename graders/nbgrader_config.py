"""nbgrader configuration for k8scourse.

Run nbgrader from the repository root with this file:
    cd graders && nbgrader generate_assignment 06-replicasets --force
(or `python graders/course.py ...`, which does the same for every chapter).

The course directory is the repository root; the source notebooks are notebooks/NN-topic/NN-topic.ipynb,
and everything nbgrader generates (release, submitted, autograded, feedback, gradebook.db) goes under
graders/ and is never committed.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

c.CourseDirectory.course_id = "k8scourse"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.release_directory = "graders/release"
c.CourseDirectory.submitted_directory = "graders/submitted"
c.CourseDirectory.autograded_directory = "graders/autograded"
c.CourseDirectory.feedback_directory = "graders/feedback"
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

# A learner who deletes a test cell (or strips its metadata) must not escape its points.
c.OverwriteCells.add_missing_cells = True

# Grading is deterministic: simulated time moves only as commands and checks say, never with the
# wall clock of the grading machine.
os.environ["K8SCOURSE_LIVE"] = "0"

# A modest per-cell timeout: every cell of the course runs in well under a second. A hung cell
# (a loop that even swallows the interrupt) costs that cell's points, not the whole submission.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = False

# Feedback returned to learners leaves the hidden tests out.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# An exchange that works for one user on one machine out of the box; on JupyterHub, point this at a
# shared directory (mode 1777) instead.
_exchange = Path(os.environ.get("K8SCOURSE_EXCHANGE", Path.home() / ".k8scourse" / "exchange"))
try:
    _exchange.mkdir(parents=True, exist_ok=True)
    _exchange.chmod(0o1777)
except OSError:
    pass
c.Exchange.root = str(_exchange)
c.Exchange.course_id = "k8scourse"

"""A failed preview's text, with and without the traceback of a program the engine interrupted.

The first text is the one a loaded machine produced (frames trimmed, paths shortened): the
field's error, the engine's summary, then the program's ``KeyboardInterrupt`` from the CLI's
plugin shutdown.
"""

from __future__ import annotations

from tests.support.engine import without_program_interrupt

ERROR = (
    "error: pulumi-python:dynamic/powerjob:Job resource 'j': property max_instance_num value "
    "{true} has a problem: must be a whole number, not a boolean"
)
SUMMARY = f"""Previewing update (taff6daef):
+ pulumi:pulumi:Stack: (create)
{ERROR}
Resources:
    + 2 to create
"""
EXEC = "/opt/engine/bin/pulumi-language-python-exec"
INTERRUPTED = f"""Traceback (most recent call last):

  File "{EXEC}", line 232, in <module>

    loop.run_until_complete(coro)

  File "/project/.venv/lib/python3.11/site-packages/pulumi/log.py", line 155, in _log

    engine.Log(req)

  File "/usr/lib/python3.11/threading.py", line 271, in __enter__

    def __enter__(self):

KeyboardInterrupt

"""
OURS = """Traceback (most recent call last):
  File "/repo/pulumi_powerjob/providers/job.py", line 40, in check
    raise ValueError("max_instance_num: must be a whole number")
ValueError: max_instance_num: must be a whole number
"""


def test_the_engine_interrupting_a_running_program_is_taken_out():
    text = without_program_interrupt(SUMMARY + INTERRUPTED)

    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert text.strip() == SUMMARY.strip()


def test_a_text_without_a_traceback_is_unchanged():
    assert without_program_interrupt(SUMMARY) == SUMMARY


def test_a_traceback_of_our_own_stays():
    assert without_program_interrupt(SUMMARY + OURS) == SUMMARY + OURS
    assert "ValueError" in without_program_interrupt(SUMMARY + OURS + INTERRUPTED)


def test_an_interrupt_outside_the_program_stays():
    provider = INTERRUPTED.replace(EXEC, "/repo/pulumi_powerjob/providers/job.py")

    assert "KeyboardInterrupt" in without_program_interrupt(SUMMARY + provider)

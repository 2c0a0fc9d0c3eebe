"""Schemathesis hooks for DhakaCart (loaded through SCHEMATHESIS_HOOKS by src/fuzz/run-fuzz.ts).

One extra check: no response body may carry a stack trace or an internal path, whatever its
status. The API's error handler answers {"error":{"code","message"}} and logs the stack instead;
this check proves that for every input the fuzzer finds.
"""
import re

import schemathesis

# Node/V8 frames ("at fn (/app/dist/x.js:1:2)"), Python tracebacks, and paths that only a leaked
# stack or error message would show.
STACK_PATTERNS = [
    re.compile(r"\bat [\w$.<>\[\] ]+ \(?(?:/|node:|file:)[^\s)]*:\d+:\d+\)?"),
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"(?:/app/dist/|/src/app/api/|node_modules/)[\w./-]+\.(?:js|ts)"),
    re.compile(r"\b(?:TypeError|ReferenceError|SyntaxError|RangeError): [^\"]*\n\s+at "),
]


@schemathesis.check
def no_stack_trace(ctx, response, case):
    """Fail when a response body shows a stack trace or a source path."""
    text = response.text or ""
    for pattern in STACK_PATTERNS:
        m = pattern.search(text)
        if m:
            # Name the pattern and a short excerpt only: the rest of the body stays out of reports.
            raise AssertionError(f"stack trace in the body: {m.group(0)[:60]!r}")

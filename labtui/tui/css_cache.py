"""One cache of parsed CSS for every app in the process, where Textual keeps one per stylesheet.

Textual parses an app's CSS (its files and every widget's DEFAULT_CSS) into rule sets and caches
them in that app's own Stylesheet. Each classroom session is a new app in a process forked from the
zygote, so each parsed the same CSS afresh: a quarter of the Python calls a student's first screen
makes, 50 times over when a class logs in. Installed in the zygote, which then starts the app once
headless (``forker.warm_up``), the rule sets are parsed once and every session forked after shares
them. The key is what Textual's own cache keys on, plus the CSS variables (a theme's colours) the
rules were parsed with. Rule sets are not changed once parsed.
"""

from __future__ import annotations

import textual
from textual.css.stylesheet import Stylesheet

WRITTEN_FOR = "8.2.8"
_own_parse = Stylesheet._parse_rules
_parsed: dict[tuple, list] = {}


def _variables_key(stylesheet: Stylesheet) -> tuple:
    """The stylesheet's variables as a key, worked out again only when it is given new ones."""
    variables = stylesheet._variables
    known = getattr(stylesheet, "_labtui_variables", None)
    if known is None or known[0] is not variables:
        known = (variables, tuple(sorted(variables.items())))
        stylesheet._labtui_variables = known
    return known[1]


def _shared_parse(self: Stylesheet, css: str, read_from, is_default_rules: bool = False, tie_breaker: int = 0,
                  scope: str = "") -> list:
    key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
    rules = _parsed.get(key)
    if rules is None:
        rules = _parsed[key] = _own_parse(self, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


def install() -> bool:
    """Share parsed CSS; False (and Textual untouched) on a Textual this was not checked on."""
    if textual.__version__ != WRITTEN_FOR:
        return False
    Stylesheet._parse_rules = _shared_parse
    return True


def installed() -> bool:
    return Stylesheet._parse_rules is _shared_parse

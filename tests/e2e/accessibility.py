"""axe-core (tools/js/node_modules, pinned in package.json) run in a page: WCAG 2.1 A and AA rules."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parents[2] / "tools/js/node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
# Every animation that ends has ended: dialogs and toasts faded in (a loading placeholder pulses for ever).
FADES_DONE = """() => document.getAnimations().every(
    (a) => a.playState !== "running" || a.effect.getComputedTiming().endTime === Infinity)"""

# While a Radix select's list is open, Radix marks the rest of the page aria-hidden (`hideOthers`) and
# traps focus in the list, so nothing behind it can be reached; axe cannot see a focus trap and waives
# this rule only for role=dialog, not for role=listbox (radix-ui/primitives#3822, open upstream).
SKIPPED_WHILE_A_LIST_IS_OPEN = {"aria-hidden-focus": {"enabled": False}}

_RUN = """
async ([tags, rules]) => {
    const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], rules};
    const result = await axe.run(document, options);
    return result.violations.map((rule) => ({
        id: rule.id,
        impact: rule.impact || "minor",
        help: rule.help,
        targets: rule.nodes.slice(0, 5).map((node) => node.target.join(" ")),
        count: rule.nodes.length,
    }));
}
"""


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text()


def axe_violations(page) -> dict[str, list[dict]]:
    """The page's WCAG 2.1 AA violations as axe finds them now, grouped by impact.

    axe's source goes in by `evaluate`, which the app's Content-Security-Policy allows (an inline
    `<script>` it refuses). Each violation: rule id, help text, the first few elements, how many.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    grouped: dict[str, list[dict]] = {impact: [] for impact in IMPACTS}
    list_open = page.locator("[role=listbox]").count() > 0
    rules = SKIPPED_WHILE_A_LIST_IS_OPEN if list_open else {}
    for violation in page.evaluate(_RUN, [WCAG_TAGS, rules]):
        grouped[violation["impact"]].append(violation)
    return grouped


def count_by_impact(grouped: dict[str, list[dict]]) -> Counter:
    """How many elements break a rule, per impact."""
    return Counter({impact: sum(rule["count"] for rule in rules) for impact, rules in grouped.items()})


def serious_or_worse(grouped: dict[str, list[dict]]) -> list[dict]:
    return grouped["critical"] + grouped["serious"]


_OUTLINE = """() => ({
    lang: document.documentElement.lang,
    h1: [...document.querySelectorAll("h1")].filter((h) => h.getClientRects().length).length,
    main: document.querySelectorAll("main, [role=main]").length,
    banner: document.querySelectorAll("header:not(main *, [role=dialog] *), [role=banner]").length,
    contentinfo: document.querySelectorAll("footer:not(main *, [role=dialog] *), [role=contentinfo]").length,
})"""


def outline_faults(page) -> list[str]:
    """What a screen reader user navigating by landmarks and headings would miss: the language, exactly
    one visible `h1` and one `main`, a header and a footer."""
    outline = page.evaluate(_OUTLINE)
    expected = {"lang": "ru", "h1": 1, "main": 1, "banner": 1, "contentinfo": 1}
    return [f"{key}: {outline[key]!r}, not {value!r}" for key, value in expected.items() if outline[key] != value]

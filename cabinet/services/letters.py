"""Renders the cabinet's letters (HTML and plain text) from the texts in cabinet.texts."""

from __future__ import annotations

import html
from dataclasses import dataclass

from cabinet import texts


@dataclass(frozen=True)
class Letter:
    subject: str
    text_body: str
    html_body: str


def render_letter(kind: str, *, link: str = "", support: str, unsubscribe: str = "", **params: object) -> Letter:
    """`kind` keys texts.LETTERS or texts.REMINDER_LETTERS; `params` fill its placeholders ({product} is
    always set). A reminder passes its one-click `unsubscribe` link, which ends the letter instead of
    «if you did not ask for it» (the resident did not ask for a reminder, and can stop it)."""
    template = texts.LETTERS[kind] if kind in texts.LETTERS else texts.REMINDER_LETTERS[kind]
    values = {"product": texts.PRODUCT_NAME, "support": support, **params}
    paragraphs = [paragraph.format(**values) for paragraph in template["body"]]
    footer = texts.LETTER_FOOTER.format(support=support)
    button = template["button"] if link else ""

    text_parts = [*paragraphs]
    if button:
        text_parts.append(f"{button}: {link}")
    if link and not unsubscribe:
        text_parts.append(texts.LETTER_IGNORE)
    text_parts.append(f"— {texts.PRODUCT_NAME}\n{footer}")
    if unsubscribe:
        text_parts.append(texts.REMINDER_UNSUBSCRIBE.format(link=unsubscribe))
    text_body = "\n\n".join(text_parts) + "\n"

    return Letter(
        subject=template["subject"].format(**values),
        text_body=text_body,
        html_body=_html(template["title"], paragraphs, button, link, footer, unsubscribe),
    )


def _html(title: str, paragraphs: list[str], button: str, link: str, footer: str, unsubscribe: str = "") -> str:
    escape = html.escape
    if unsubscribe:
        before, _, after = texts.REMINDER_UNSUBSCRIBE.partition("{link}")
        footer_html = (
            f'{escape(footer)}<br>{escape(before)}<a href="{escape(unsubscribe)}" style="color:#5f6b63">'
            f"{escape(unsubscribe)}</a>{escape(after)}"
        )
    else:
        footer_html = escape(footer)
    body = "".join(
        f'<p style="margin:0 0 16px;font-size:16px;line-height:1.5;white-space:pre-wrap">{escape(p)}</p>'
        for p in paragraphs
    )
    if button:
        body += (
            f'<p style="margin:24px 0"><a href="{escape(link)}" '
            'style="display:inline-block;background:#2f7d4a;color:#ffffff;text-decoration:none;'
            f'padding:12px 24px;border-radius:8px;font-size:16px;font-weight:600">{escape(button)}</a></p>'
            '<p style="margin:0 0 16px;font-size:13px;color:#5f6b63;word-break:break-all">'
            f'{escape(texts.LETTER_LINK_FALLBACK)}<br><a href="{escape(link)}" style="color:#2f7d4a">'
            f"{escape(link)}</a></p>"
        )
        if not unsubscribe:
            body += f'<p style="margin:0 0 16px;font-size:13px;color:#5f6b63">{escape(texts.LETTER_IGNORE)}</p>'

    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title></head>'
        '<body style="margin:0;background:#f4f6f4;font-family:Arial,Helvetica,sans-serif;color:#1d2420">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f6f4">'
        '<tr><td align="center" style="padding:24px 12px">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="max-width:560px;background:#ffffff;border-radius:12px;border:1px solid #dfe5e0">'
        '<tr><td style="padding:20px 28px;border-bottom:1px solid #dfe5e0;font-size:18px;font-weight:700;'
        f'color:#2f7d4a">{escape(texts.PRODUCT_NAME)}</td></tr>'
        f'<tr><td style="padding:28px"><h1 style="margin:0 0 20px;font-size:22px">{escape(title)}</h1>'
        f"{body}</td></tr>"
        f'<tr><td style="padding:16px 28px;border-top:1px solid #dfe5e0;font-size:12px;color:#5f6b63">'
        f"{footer_html}</td></tr>"
        "</table></td></tr></table></body></html>"
    )

"""Draws the demo providers' sample receipts (assets/receipts/*.svg) with the account number framed.

Run once after changing the demo providers: `.venv/bin/python scripts/draw_receipts.py`.
"""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "assets" / "receipts"
WIDTH, HEIGHT = 900, 680
FONT = "Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"

RECEIPTS = [
    dict(
        slug="vodokanal",
        color="#1f6fb2",
        title="СЧЁТ-КВИТАНЦИЯ",
        provider="МУП «Водоканал» г. Заречный",
        requisites="ИНН 6609012349 · р/с 40702810900000012345 · БИК 046577964",
        number_label="Лицевой счёт",
        number="3700123456",
        extra=None,
        layout="right",
        services=[
            ("Холодное водоснабжение", "6,500 м³", "296,53"),
            ("Горячее водоснабжение", "3,800 м³", "945,82"),
            ("Водоотведение", "10,300 м³", "412,00"),
        ],
        meters=[("ХВС", "VO1024561"), ("ГВС", "VO1034561")],
        total="1 654,35",
    ),
    dict(
        slug="energosbyt",
        color="#d98200",
        title="СЧЁТ ЗА ЭЛЕКТРОЭНЕРГИЮ",
        provider="АО «Энергосбыт Заречья»",
        requisites="ИНН 6609023453 · р/с 40702810300000023456 · БИК 046577964",
        number_label="Лицевой счёт",
        number="51001238",
        extra=None,
        layout="left",
        services=[
            ("Электроэнергия, день", "180,0 кВт·ч", "1 173,60"),
            ("Электроэнергия, ночь", "90,0 кВт·ч", "286,20"),
            ("Пени", "", "0,00"),
        ],
        meters=[("Т1 день", "EN1301238"), ("Т2 ночь", "EN1311238")],
        total="1 459,80",
    ),
    dict(
        slug="uyutny-dom",
        color="#2f7d4a",
        title="ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ",
        provider="УК «Уютный дом»",
        requisites="ИНН 6609034568 · р/с 40702810500000034567 · БИК 046577964",
        number_label="ЕЛС",
        number="12АБ345678",
        extra=("ПИН-код", "4821"),
        layout="barcode",
        services=[
            ("Содержание жилого помещения", "54,2 м²", "1 626,00"),
            ("Отопление", "1,200 Гкал", "3 420,13"),
            ("Обращение с ТКО", "2 чел.", "412,60"),
        ],
        meters=[("Тепло", "UY2004561")],
        total="5 458,73",
    ),
    dict(
        slug="gaz-servis",
        color="#7a3fb0",
        title="КВИТАНЦИЯ НА ОПЛАТУ ГАЗА",
        provider="ООО «Газ-Сервис»",
        requisites="ИНН 6609045672 · р/с 40702810700000045678 · БИК 046577964",
        number_label="Лицевой счёт",
        number="370012345678",
        extra=None,
        layout="right",
        services=[("Газоснабжение", "45,000 м³", "384,30"), ("Техобслуживание ВДГО", "", "95,00")],
        meters=[("Газ", "GA3005678")],
        total="479,30",
    ),
]


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = 15,
    weight: str = "normal",
    color: str = "#1d2420",
    anchor: str = "start",
    family: str = FONT,
) -> str:
    return (
        f'<text x="{x}" y="{y}" font-family="{family}" font-size="{size}" font-weight="{weight}" '
        f'fill="{color}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def qr(x: int, y: int, seed: str, size: int = 120) -> str:
    """A QR-like block: it only has to look like the one on a real receipt."""
    cells = 21
    step = size / cells
    digest = hashlib.sha256(seed.encode()).digest() * 14
    parts = [f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#fff"/>']
    for row in range(cells):
        for col in range(cells):
            in_finder = (row < 7 and col < 7) or (row < 7 and col >= cells - 7) or (row >= cells - 7 and col < 7)
            if in_finder:
                r, c = row % 7 if row < 7 else row - (cells - 7), col % 7 if col < 7 else col - (cells - 7)
                dark = r in (0, 6) or c in (0, 6) or (2 <= r <= 4 and 2 <= c <= 4)
            else:
                dark = digest[row * cells + col] % 2 == 0
            if dark:
                parts.append(
                    f'<rect x="{x + col * step:.1f}" y="{y + row * step:.1f}" '
                    f'width="{step:.1f}" height="{step:.1f}" fill="#1d2420"/>'
                )
    return "".join(parts)


def barcode(x: int, y: int, seed: str, width: int = 260, height: int = 46) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    parts, cursor = [], x
    for byte in digest * 3:
        bar = 1 + byte % 3
        if cursor + bar > x + width:
            break
        if byte % 2:
            parts.append(f'<rect x="{cursor}" y="{y}" width="{bar}" height="{height}" fill="#1d2420"/>')
        cursor += bar + 1
    return "".join(parts)


MONO = "'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', monospace"


def highlight(
    frame: tuple[float, float, float, float],
    label: str,
    label_at: tuple[float, float],
    arrow_from: tuple[float, float],
    arrow_to: tuple[float, float],
) -> str:
    """The bright frame around the number and a callout pointing at it."""
    x, y, w, h = frame
    label_w = 24 + len(label) * 9.2
    lx, ly = label_at
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="#ffec3d" fill-opacity="0.35" '
        f'stroke="#e5254b" stroke-width="4"/>'
        f'<line x1="{arrow_from[0]}" y1="{arrow_from[1]}" x2="{arrow_to[0]}" y2="{arrow_to[1]}" '
        f'stroke="#e5254b" stroke-width="3" marker-end="url(#arrow)"/>'
        f'<rect x="{lx}" y="{ly}" width="{label_w}" height="34" rx="17" fill="#e5254b"/>'
        + text(lx + label_w / 2, ly + 23, label, size=16, weight="bold", color="#fff", anchor="middle")
    )


def label_width(label: str) -> float:
    return 24 + len(label) * 9.2


def receipt(spec: dict) -> str:
    color = spec["color"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="Образец квитанции {escape(spec["provider"])}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#e5254b"/></marker></defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fbfaf6"/>',
        f'<rect x="14" y="14" width="{WIDTH - 28}" height="{HEIGHT - 28}" fill="#fff" '
        'stroke="#c9c6bb" stroke-width="1.5"/>',
        f'<rect x="14" y="14" width="{WIDTH - 28}" height="64" fill="{color}"/>',
        text(34, 54, spec["provider"], size=24, weight="bold", color="#fff"),
        text(WIDTH - 34, 52, spec["title"], size=15, weight="bold", color="#fff", anchor="end"),
        text(34, 102, spec["requisites"], size=13, color="#55605a"),
        text(34, 134, "Плательщик:", size=15, color="#55605a"),
        text(140, 134, "Иванов Иван Иванович", size=15, weight="bold"),
        text(34, 160, "Адрес:", size=15, color="#55605a"),
        text(140, 160, "г. Заречный, ул. Садовая, д. 2, кв. 5", size=15),
        text(34, 186, "Период:", size=15, color="#55605a"),
        text(140, 186, "октябрь 2026", size=15),
    ]
    # The account number, placed where this provider prints it.
    lines = [f"{spec['number_label']}: {spec['number']}"]
    if spec["extra"]:
        lines.append(f"{spec['extra'][0]}: {spec['extra'][1]}")
    frame_w = 28 + max(len(line) for line in lines) * 22 * 0.61
    frame_h = 18 + 34 * len(lines)
    label = "Номер лицевого счёта" + (" и ПИН-код" if spec["extra"] else "")
    lw = label_width(label)
    if spec["layout"] == "left":
        fx, fy = 34, 208
        label_at = (fx + frame_w + 70, fy + 5)
        arrow_from, arrow_to = (label_at[0], fy + 22), (fx + frame_w + 8, fy + 22)
    elif spec["layout"] == "barcode":
        parts.append(barcode(int(WIDTH - 34 - 300), 108, spec["number"] + "x", width=300, height=30))
        fx, fy = WIDTH - 34 - frame_w, 150
        label_at = (fx - lw - 60, fy + 30)
        arrow_from, arrow_to = (fx - 60, fy + 47), (fx - 8, fy + 47)
    else:
        fx, fy = WIDTH - 34 - frame_w, 112
        label_at = (WIDTH - 34 - lw, fy + frame_h + 26)
        arrow_from, arrow_to = (WIDTH - 34 - lw / 2, fy + frame_h + 26), (WIDTH - 34 - lw / 2, fy + frame_h + 6)
    for index, line in enumerate(lines):
        parts.append(text(fx + 14, fy + 37 + index * 34, line, size=22, weight="bold", family=MONO))
    # Services table.
    top = 300
    parts += [
        f'<rect x="34" y="{top}" width="{WIDTH - 68}" height="34" fill="{color}" fill-opacity="0.12"/>',
        text(46, top + 23, "Услуга", size=14, weight="bold"),
        text(520, top + 23, "Объём", size=14, weight="bold"),
        text(WIDTH - 46, top + 23, "Начислено, ₽", size=14, weight="bold", anchor="end"),
    ]
    for row, (service, volume, amount) in enumerate(spec["services"]):
        y = top + 34 + row * 32
        parts += [
            f'<line x1="34" y1="{y + 32}" x2="{WIDTH - 34}" y2="{y + 32}" stroke="#e3e0d6"/>',
            text(46, y + 22, service, size=15),
            text(520, y + 22, volume, size=15),
            text(WIDTH - 46, y + 22, amount, size=15, anchor="end"),
        ]
    total_y = top + 34 + len(spec["services"]) * 32 + 34
    parts.append(text(WIDTH - 46, total_y, f"Итого к оплате: {spec['total']} ₽", size=20, weight="bold", anchor="end"))
    meters_y = total_y + 36
    parts.append(text(34, meters_y, "Приборы учёта:", size=14, weight="bold", color="#55605a"))
    for index, (kind, serial) in enumerate(spec["meters"]):
        parts.append(text(34 + index * 230, meters_y + 24, f"{kind} № {serial}", size=14))
    parts.append(qr(WIDTH - 34 - 110, HEIGHT - 34 - 110, spec["slug"], size=110))
    parts.append(barcode(34, HEIGHT - 34 - 46, spec["number"]))
    parts.append(text(34, HEIGHT - 34 - 56, "Оплатить можно в Личном кабинете клиента", size=13, color="#55605a"))
    # The highlight goes last so nothing covers it.
    parts.append(highlight((fx, fy, frame_w, frame_h), label, label_at, arrow_from, arrow_to))
    parts.append("</svg>")
    return "".join(parts)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for spec in RECEIPTS:
        (OUT / f"{spec['slug']}.svg").write_text(receipt(spec), encoding="utf-8")
        print(f"wrote {OUT / (spec['slug'] + '.svg')}")


if __name__ == "__main__":
    main()

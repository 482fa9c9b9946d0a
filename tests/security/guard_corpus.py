"""Files made from nothing for the personal-data guard's tests: lists of people hidden every way a
member has slipped one past it (and more), and the ordinary documents that must pass untouched.

Every sample is (id, file bytes, file name). Office files are written as the zip of XML they are.
"""

import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape

from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# People who do not exist, with what a case file holds about them.
PEOPLE = [
    (
        "Amal Haddad",
        "أمل حداد",
        "P1234567",
        date(1990, 3, 12),
        "123-21C12345",
        "01012345671",
        "29003120101234",
    ),
    (
        "Omar Nasser",
        "عمر ناصر",
        "P2345678",
        date(1985, 11, 5),
        "123-21C12346",
        "01112345672",
        "28511050102345",
    ),
    (
        "Mona Okafor",
        "منى أوكافور",
        "A3456789",
        date(2001, 7, 21),
        "123-22C12347",
        "01212345673",
        "30107210103456",
    ),
    (
        "Khaled Mensah",
        "خالد منصور",
        "B4567890",
        date(1978, 1, 30),
        "123-22C12348",
        "01512345674",
        "27801300104567",
    ),
    (
        "Grace Diallo",
        "جريس ديالو",
        "P5678901",
        date(1996, 9, 2),
        "123-23C12349",
        "01012345675",
        "29609020105678",
    ),
]
FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre"]  # fmt: skip
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# PDF.


def pdf_pages(pages: list[list[str]]) -> bytes:
    """A PDF with one page per item of `pages`, each a text layer of lines (Helvetica, ASCII)."""
    count = len(pages)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for lines in pages:
        body = " ".join(f"({line.replace('(', '').replace(')', '')}) Tj 0 -16 Td" for line in lines)
        stream = f"BT /F1 11 Tf 40 790 Td {body} ET".encode("latin-1")
        page_number = len(objects) + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (page_number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def scanned_pdf(lines: list[str], stamp: list[str] | None = None, photo: bool = False) -> bytes:
    """A PDF page that is a picture of `lines` (or a photo without text), with `stamp` as its text
    layer: a scan with a page number, or a page of text with a picture pasted in."""
    out = io.BytesIO()
    image = Image.new("RGB", (700, 400), (90, 140, 200)) if photo else _picture_image(lines).convert("RGB")
    if stamp is None:
        image.save(out, "PDF", resolution=100)
        return out.getvalue()
    # An A4 page at 100 dpi, the picture in its lower half, below the text.
    page = Image.new("RGB", (827, 1169), "white")
    page.paste(image, (60, 650))
    page.save(out, "PDF", resolution=100)
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(pdf_pages([stamp]))).pages[0])
    merged = io.BytesIO()
    writer.write(merged)
    return merged.getvalue()


def protected_pdf(lines: list[str]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_pages([lines])))
    writer.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Pictures.


def _picture_image(lines: list[str], size: int = 26) -> Image.Image:
    font = ImageFont.truetype(FONT, size)
    width = max((int(font.getlength(line)) for line in lines), default=10) + 40
    image = Image.new("L", (max(width, 200), (size + 14) * len(lines) + 30), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((20, 15 + (size + 14) * number), line, font=font, fill=0)
    return image


def picture(lines: list[str], kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    _picture_image(lines).save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


def blank_picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (90, 140, 200)).save(out, "PNG")
    return out.getvalue()


# Office files.

_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def _zip(parts: dict[str, str | bytes], mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _w_p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx(
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    *,
    comments: list[str] | None = None,
    deleted: list[str] | None = None,
    pictures: list[bytes] | None = None,
) -> bytes:
    """A Word document: paragraphs, a table, comments, tracked deletions and pictures."""
    body = "".join(_w_p(text) for text in paragraphs)
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc>{_w_p(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in table
        )
        body += f"<w:tbl>{rows}</w:tbl>"
    for text in deleted or []:
        deletion = f"<w:r><w:delText>{escape(text)}</w:delText></w:r>"
        body += f'<w:p><w:del w:id="1" w:author="x">{deletion}</w:del></w:p>'
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "word/document.xml": f'<?xml version="1.0"?><w:document {_W}><w:body>{body}</w:body></w:document>',
    }
    if comments:
        notes = "".join(f'<w:comment w:id="{n}">{_w_p(text)}</w:comment>' for n, text in enumerate(comments))
        parts["word/comments.xml"] = f'<?xml version="1.0"?><w:comments {_W}>{notes}</w:comments>'
    for number, content in enumerate(pictures or [], start=1):
        parts[f"word/media/image{number}.png"] = content
    return _zip(parts)


def _a_p(text: str) -> str:
    return f"<a:p><a:r><a:t>{escape(text)}</a:t></a:r></a:p>"


def _slide(lines: list[str], table: list[list[str]] | None = None) -> str:
    shapes = f"<p:sp><p:txBody>{''.join(_a_p(line) for line in lines)}</p:txBody></p:sp>"
    if table:
        rows = "".join(
            "<a:tr>" + "".join(f"<a:tc><a:txBody>{_a_p(cell)}</a:txBody></a:tc>" for cell in row) + "</a:tr>"
            for row in table
        )
        frame = f"<a:graphic><a:graphicData><a:tbl>{rows}</a:tbl></a:graphicData></a:graphic>"
        shapes += f"<p:graphicFrame>{frame}</p:graphicFrame>"
    return f'<?xml version="1.0"?><p:sld {_P} {_A}><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>'


def pptx(
    slides: list[list[str]], table: list[list[str]] | None = None, notes: list[str] | None = None
) -> bytes:
    """A presentation: one slide per item of `slides`, a table on the last one, speaker notes."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "ppt/presentation.xml": f'<?xml version="1.0"?><p:presentation {_P}/>',
    }
    for number, lines in enumerate(slides, start=1):
        parts[f"ppt/slides/slide{number}.xml"] = _slide(lines, table if number == len(slides) else None)
    if notes:
        parts["ppt/notesSlides/notesSlide1.xml"] = (
            f'<?xml version="1.0"?><p:notes {_P} {_A}><p:cSld><p:spTree><p:sp><p:txBody>'
            f"{''.join(_a_p(line) for line in notes)}</p:txBody></p:sp></p:spTree></p:cSld></p:notes>"
        )
    return _zip(parts)


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _odf_table(rows: list[list[str]]) -> str:
    cells = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{escape(cell)}</text:p></table:table-cell>" for cell in row)
        + "</table:table-row>"
        for row in rows
    )
    return f"<table:table>{cells}</table:table>"


def odt(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    body = "".join(f"<text:p>{escape(text)}</text:p>" for text in paragraphs) + (
        _odf_table(table) if table else ""
    )
    content = (
        f'<?xml version="1.0"?><office:document-content {_ODF_NS}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    return _zip({"content.xml": content}, "application/vnd.oasis.opendocument.text")


def ods(rows: list[list[str]]) -> bytes:
    content = (
        f'<?xml version="1.0"?><office:document-content {_ODF_NS}>'
        f"<office:body><office:spreadsheet>{_odf_table(rows)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    return _zip({"content.xml": content}, "application/vnd.oasis.opendocument.spreadsheet")


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def text(lines: list[str]) -> bytes:
    return "\n".join(lines).encode()


# The evasive samples: each reached another embassy before the guard read it.

_NAMES_DOB = [f"{name} {dmy(born)}" for name, _ar, _pp, born, *_ in PEOPLE]


def evasive() -> list[tuple[str, bytes, str]]:
    people = PEOPLE
    return [
        (
            "pptx-slide-list",
            pptx([["Workshop participants"], ["Date of birth", *_NAMES_DOB]]),
            "participants.pptx",
        ),
        (
            "pptx-table",
            pptx([["Follow-up"]], table=[["Name", "Passport"], *[[p[0], p[2]] for p in people]]),
            "follow.pptx",
        ),
        (
            "pptx-speaker-notes",
            pptx([["Return programme"]], notes=[f"{p[0]} DOB {dmy(p[3])}" for p in people]),
            "talk.pptx",
        ),
        ("png-list", picture([f"{p[0]} P/{p[2][1:]} {dmy(p[3])}" for p in people[:3]]), "list.png"),
        ("jpeg-case-numbers", picture([f"{p[0]} {p[4]}" for p in people[:3]], "JPEG"), "cases.jpg"),
        ("png-french-nee-le", picture([f"{p[0]}, né(e) le {dmy(p[3])}" for p in people[:3]]), "liste.png"),
        ("png-without-text", blank_picture(), "photo.png"),
        (
            "pdf-list-after-page-300",
            pdf_pages(
                [[f"Regional overview, page {n}", "General information on services."] for n in range(1, 301)]
                + [["Annex: Date of birth", *_NAMES_DOB]]
            ),
            "overview.pdf",
        ),
        ("pdf-scanned-list", scanned_pdf(["Date of birth", *_NAMES_DOB[:3]]), "scan.pdf"),
        (
            "pdf-scan-with-page-number",
            scanned_pdf([f"{p[0]} {p[2]}" for p in people[:3]], stamp=["Page 1"]),
            "scan2.pdf",
        ),
        (
            "pdf-page-of-text-with-a-pasted-list",
            scanned_pdf([f"{p[0]} {p[2]}" for p in people[:3]], stamp=REPORT_EN),
            "pasted.pdf",
        ),
        ("pdf-password-protected", protected_pdf(_NAMES_DOB), "locked.pdf"),
        (
            "pdf-one-cell-per-line",
            pdf_pages([["Name", "Date of birth", *[part for p in people for part in (p[0], dmy(p[3]))]]]),
            "table.pdf",
        ),
        (
            "docx-table-name-dob",
            docx(["Beneficiaries"], [["Name", "Date of birth"], *[[p[0], dmy(p[3])] for p in people]]),
            "b.docx",
        ),
        (
            "docx-table-without-header",
            docx(["Follow-up"], [[p[0], dmy(p[3]), "Cairo"] for p in people]),
            "f.docx",
        ),
        ("docx-lowercase-passports", docx([f"{p[0].lower()} p {p[2][1:]}" for p in people]), "l.docx"),
        (
            "docx-list-in-comments",
            docx(["Quarterly report"], comments=[f"{p[0]} {p[2]}" for p in people]),
            "c.docx",
        ),
        (
            "docx-tracked-deletion",
            docx(["Quarterly report"], deleted=[f"{p[0]} born {dmy(p[3])}" for p in people]),
            "d.docx",
        ),
        (
            "docx-pasted-screenshot",
            docx(["See the picture."], pictures=[picture([f"{p[0]} {p[2]}" for p in people[:3]])]),
            "s.docx",
        ),
        ("txt-passports-p-slash", text([f"{p[0]} P/{p[2][1:]}" for p in people]), "p.txt"),
        ("txt-two-letter-dashed-passports", text([f"{p[0]} EP-{p[2][1:]}" for p in people]), "ep.txt"),
        (
            "txt-arabic-indic-digits",
            text(
                ["الاسم - تاريخ الميلاد", *[f"{p[1]} - {dmy(p[3]).translate(ARABIC_DIGITS)}" for p in people]]
            ),
            "ar.txt",
        ),
        (
            "txt-arabic-month-names",
            text([f"{p[1]} مواليد {p[3].day} مارس {p[3].year}" for p in people]),
            "ar2.txt",
        ),
        (
            "txt-french-month-names",
            text([f"{p[0]}, née le {p[3].day} {FRENCH_MONTHS[p[3].month - 1]} {p[3].year}" for p in people]),
            "fr.txt",
        ),
        (
            "txt-english-month-names",
            text([f"{p[0]} - {p[3]:%B} {p[3].day}, {p[3].year}" for p in people]),
            "en.txt",
        ),
        (
            "txt-iso-dates-dob-header",
            text(["Name, DOB", *[f"{p[0]}, {p[3].isoformat()}" for p in people]]),
            "iso.txt",
        ),
        ("txt-two-digit-years", text(["D.O.B.", *[f"{p[0]} {p[3]:%d-%m-%y}" for p in people]]), "yy.txt"),
        (
            "txt-labelled-lines",
            text([line for p in people for line in (f"Name: {p[0]}", f"DOB: {dmy(p[3])}", "")]),
            "labelled.txt",
        ),
        (
            "txt-zero-width-inside-numbers",
            text([f"{p[0]} {p[2][:3]}\u200b{p[2][3:]}" for p in people]),
            "zw.txt",
        ),
        (
            "txt-phones-arabic-digits",
            text([f"{p[1]} {p[5].translate(ARABIC_DIGITS)}" for p in people] + ["هاتف ٠١٠٩٨٧٦٥٤٣٢"]),
            "t.txt",
        ),
        ("csv-unhcr-case-numbers", text(["name,case"] + [f"{p[0]},{p[4]}" for p in people]), "cases.csv"),
        ("csv-national-ids", text(["name;id"] + [f"{p[0]};{p[6]}" for p in people]), "ids.csv"),
        ("xlsx-date-cells", xlsx([["Name", "Birth"], *[[p[0], p[3]] for p in people]]), "sheet.xlsx"),
        ("ods-rows", ods([["Nom", "Date de naissance"], *[[p[0], dmy(p[3])] for p in people]]), "liste.ods"),
        ("odt-table-passports", odt(["Suivi"], [[p[0], p[2]] for p in people]), "suivi.odt"),
    ]


# Ordinary documents: agendas, reports, minutes, budgets; they pass untouched.

AGENDA_EN = [
    "Roundtable on labour migration - Agenda",
    "Thursday 11 March 2027, 10:00-13:00, IOM Egypt, Cairo",
    "10:00 Welcome and opening remarks - Ambassador Jane Smith, Embassy of Canada",
    "10:20 Panel: fair recruitment - Ms. Amal Haddad (IOM), Mr. Omar Nasser (Embassy of Sudan)",
    "11:30 Coffee break",
    "11:45 Working groups, rooms 2.14 and 2.15",
    "12:45 Conclusions and next steps, 15/04/2027",
    "Zoom Meeting ID: 81234567890, passcode 4521",
]
REPORT_EN = [
    "Annual report 2025: protection and assistance",
    "In 2025 IOM Egypt assisted 12,400 migrants; 3,150 of them were children.",
    "Birth registration support reached 1,200 families, up from 950 in 2024.",
    "The 1951 Refugee Convention was adopted on 28 July 1951 in Geneva.",
    "Egypt acceded to the Convention on 22 May 1981 and to its Protocol in 1981.",
    "The budget rose from 2500000 to 4100000 USD over 2021-2025 (see Law No. 82/2016).",
    "Hotline: +20 2 2736 5140. Office hours 9 to 15, Sunday to Thursday.",
]
MINUTES_EN = [
    "Minutes of the coordination meeting of 5 February 2026",
    "Present: H.E. Ambassador Grace Diallo (Senegal), Mr. Khaled Mensah (Ghana), Ms. Mona Okafor (IOM)",
    "Our ref: IOM/CAI/2026/117. Your ref: EMB-GH/2026/045.",
    "1. The minutes of the previous meeting were adopted.",
    "2. Mr. Mensah presented the consular outreach plan for 2026.",
    "Next meeting: 12.03.2026 at 10:00, room 3.",
]
AGENDA_FR = [
    ["Heure", "Session", "Intervenant"],
    ["09:30", "Accueil des participants", "Secrétariat"],
    ["10:00", "Ouverture", "S.E. l'Ambassadeur Paul Martin"],
    ["10:30", "Migration de travail et recrutement équitable", "Mme Claire Dubois, OIM"],
    ["12:00", "Clôture, prochaine réunion le 12 mars 2027", "M. Ahmed Ben Ali"],
]
REPORT_FR = [
    "Rapport semestriel, janvier à juin 2026",
    "Au premier semestre, 12 500 000 EGP ont été consacrés à l'aide au retour volontaire.",
    "Entre 2019-2023 et 2020-2024, le nombre de bénéficiaires a doublé.",
    "La réunion du 14 mai 2026 a réuni 38 ambassades et 6 agences.",
    "Contact : retour@oim.example",
]
REPORT_AR = [
    "تقرير الربع الثالث ٢٠٢٦",
    "قدمت المنظمة الدولية للهجرة المساعدة إلى ١٢٤٠ مهاجرًا في القاهرة والإسكندرية.",
    "عقد الاجتماع التنسيقي في ١٥ سبتمبر ٢٠٢٦ بحضور ٣٨ سفارة.",
    "ارتفعت الميزانية من ٢٥٠٠٠٠٠ إلى ٤١٠٠٠٠٠ دولار خلال الفترة ٢٠٢١-٢٠٢٥.",
    "للاستفسار: الخط الساخن ٠٢ ٢٧٣٦ ٥١٤٠",
]
AGENDA_AR = [
    "جدول أعمال المائدة المستديرة حول هجرة العمالة",
    "الخميس ١١ مارس ٢٠٢٧، من الساعة ١٠:٠٠ إلى ١٣:٠٠",
    "١٠:٠٠ كلمة الافتتاح - سعادة السفير أحمد علي",
    "١٠:٣٠ جلسة نقاش: التوظيف العادل - السيدة منى سعيد",
    "١٢:٣٠ الختام والخطوات التالية",
]


def ordinary() -> list[tuple[str, bytes, str]]:
    return [
        ("pdf-agenda-en", pdf_pages([AGENDA_EN]), "agenda.pdf"),
        ("pdf-report-with-a-photo", scanned_pdf([], stamp=REPORT_EN, photo=True), "photo-report.pdf"),
        ("pdf-report-en-two-pages", pdf_pages([REPORT_EN[:4], REPORT_EN[4:]]), "report.pdf"),
        ("docx-minutes-en", docx(MINUTES_EN), "minutes.docx"),
        (
            "docx-agenda-fr-table",
            docx(["Ordre du jour, jeudi 11 mars 2027"], AGENDA_FR),
            "ordre-du-jour.docx",
        ),
        ("odt-report-fr", odt(REPORT_FR), "rapport.odt"),
        ("docx-report-ar", docx(REPORT_AR), "taqrir.docx"),
        ("txt-agenda-ar", text(AGENDA_AR), "jadwal.txt"),
        (
            "pptx-minutes-fr",
            pptx(
                [
                    ["Compte rendu de la réunion du 5 février 2026"],
                    [
                        "Participants : S.E. Paul Martin (France), Mme Claire Dubois (OIM)",
                        "Prochaine réunion : 12/03/2027",
                    ],
                ],
                table=[
                    ["Action", "Responsable", "Échéance"],
                    ["Plan consulaire", "M. Ahmed Ben Ali", "30/04/2027"],
                ],
            ),
            "compte-rendu.pptx",
        ),
        (
            "xlsx-budget",
            xlsx(
                [
                    ["Budget line", "2025", "2026"],
                    ["Assisted returns", 2500000, 4100000],
                    ["Staff", 820000, 900000],
                ]
            ),
            "budget.xlsx",
        ),
        (
            "ods-schedule",
            ods(
                [
                    ["Session", "Date", "Salle"],
                    ["Ouverture", "11/03/2027", "2.14"],
                    ["Clôture", "12/03/2027", "2.15"],
                ]
            ),
            "planning.ods",
        ),
        (
            "csv-hotlines",
            text(["service,hotline", "IOM Egypt,+20 2 2736 5140", "Ambulance,123", "Child helpline,16000"]),
            "hotlines.csv",
        ),
        (
            "png-agenda-picture",
            picture(["Roundtable on labour migration", "11 March 2027, 10:00", "Opening remarks"]),
            "agenda.png",
        ),
        (
            "pdf-scanned-notice",
            scanned_pdf(["Meeting notice", "Coordination meeting", "11 March 2027, 10:00, room 3"]),
            "notice.pdf",
        ),
    ]

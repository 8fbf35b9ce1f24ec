"""Invented documents for the demo's evidence: an email from the customer, the service area's
local-resolution letter as a PDF, and an officer's file note."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from crm_tui.demo.data import OFFICERS

_COMPLAINTS = (
    "I have now written to you, the repairs team, my councillor and the MP about the gutter "
    "and nobody has done anything. I expect a full answer today.",
    "This is my fourth email this week. Answer all thirty of my questions, numbered as before, "
    "and tell me the names of everyone who has touched my case.",
    "Your officer was rude on the phone and I want them replaced. I recorded the call.",
)


def _email(folder: Path, ref: str, day: date, rng: random.Random) -> tuple[Path, str]:
    message = EmailMessage()
    message["From"] = "customer@example.org"
    message["To"] = "repairs@northmere.example.gov.uk"
    message["Cc"] = "cllr.ward3@northmere.example.gov.uk, casework@mp.example.org"
    message["Subject"] = f"RE: RE: RE: complaint {ref} — STILL NOT RESOLVED"
    message["Date"] = format_datetime(datetime.combine(day, time(23, 12)))
    message.set_content(rng.choice(_COMPLAINTS) + "\n\nSent from my phone")
    path = folder / f"email-{day:%Y-%m-%d}.eml"
    path.write_bytes(message.as_bytes())
    return path, "Email from the customer, copied to a councillor and the MP"


def _letter(folder: Path, ref: str, day: date) -> tuple[Path, str]:
    path = folder / "local-resolution-letter.pdf"
    # invariant: no timestamp or random id in the file, so the demo is the same every time.
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    lines = (f"Our reference: {ref}", f"Date: {day:%d %B %Y}", "",
             "Dear customer,", "",
             "We are writing about the number of emails and calls the service has received",
             "from you about the same repair. To help us deal with your concerns, from today",
             "a single point of contact will reply to you once a week.", "",
             "We will keep a record of contact over the next two months.", "",
             "Yours sincerely,", "Service area manager")
    y = 780.0
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 16
    pdf.save()
    return path, "The service area's local-resolution letter (written communication)"


def _note(folder: Path, day: date, rng: random.Random) -> tuple[Path, str]:
    officer = rng.choice(OFFICERS)
    path = folder / f"file-note-{day:%Y-%m-%d}.txt"
    path.write_text(
        f"File note — {day:%d/%m/%Y} 23:40 — {officer}\n\n"
        "Customer rang the out-of-hours line for the third time tonight about the same "
        "gutter. Said staff are 'useless' and that they would post the recording online. "
        "Advised that the repair is booked; call ended by the customer.\n", encoding="utf-8")
    return path, f"Officer's file note ({officer})"


def demo_documents(folder: Path, ref: str, today: date,
                   rng: random.Random) -> list[tuple[Path, str]]:
    written = today - timedelta(days=70)
    return [_email(folder, ref, today - timedelta(days=12), rng),
            _letter(folder, ref, written),
            _note(folder, today - timedelta(days=20), rng)]

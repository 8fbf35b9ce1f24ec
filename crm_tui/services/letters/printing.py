"""From a letter's content to its signed PDF, as the council's configuration says to print it:
the return line and fold marks, the signer's signature image, the visible stamp at the
letter's size, and a trusted timestamp where a timestamping service is configured. Issuing and
re-sending a letter both make their files here, so that every letter is made the same way."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crm_tui import clock
from crm_tui.config import config_dir, data_dir
from crm_tui.letters.content import Letter
from crm_tui.services.core import settings
from crm_tui.services.letters.signing_facts import SigningProblem

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko.sign.timestamps import TimeStamper


def timestamper() -> TimeStamper | None:
    """The configured timestamping service (`timestamp_url`), or None."""
    url = settings.current().timestamp_url
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def signed_pdf(content: Letter, signer: SimpleSigner, signer_name: str, login: str | None, *,
               issued: datetime | None = None,
               stamper: TimeStamper | None = None) -> bytes:
    """Render `content` and sign it as `signer_name` (whose signature image, if any, is
    `signatures/LOGIN.png` in the configuration folder; None: no image, as on a re-sent copy,
    whose handwriting belongs to the original). `stamper`: a timestamping service
    other than the configured one (tests use pyHanko's own)."""
    # ReportLab and pyHanko load on first use: the app starts without them.
    from pyhanko.sign.timestamps import TimestampRequestError

    from crm_tui.letters import signing
    from crm_tui.letters.page_setup import PrintOptions
    from crm_tui.letters.render import render_letter

    config = settings.current()
    options = PrintOptions(return_line=config.return_line, fold_marks=config.fold_marks)
    issued = issued or clock.now()
    image = config_dir() / "signatures" / f"{login}.png" if login else None
    with tempfile.TemporaryDirectory() as scratch:
        unsigned = Path(scratch) / "letter.pdf"
        place = render_letter(content, unsigned, image if image and image.is_file() else None,
                              options=options, issued=issued)
        # The stamp's font holds every letter the stamp shows (the name as the letter has it).
        stamp_text = place.stamp.text if place.stamp is not None else signer_name
        try:
            return signing.sign(unsigned.read_bytes(), signer, signer_name, page=place.page,
                                box=place.box,
                                font=signing.stamp_font(data_dir() / "cache", stamp_text),
                                demo=content.demo, stamp=place.stamp, issued=issued,
                                timestamper=stamper or timestamper())
        except (TimestampRequestError, TimeoutError) as exc:
            why = str(exc) or "no answer in time"
            raise SigningProblem(f"the timestamping service ({config.timestamp_url}) gave no "
                                 f"timestamp ({why}); the letter was not signed") from None

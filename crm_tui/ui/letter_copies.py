"""Copies of issued letters, from any screen that lists the register: export a copy (the very
same file, the register unchanged) or re-send a lost letter as a marked duplicate (asks why,
then signs it anew)."""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, cast

from textual import work

from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import SIGNERS, LetterKind, may_sign
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.core.validation import grounds_text
from crm_tui.services.letters import copies
from crm_tui.services.letters.issuing import IssuedLetter, LetterInfo
from crm_tui.ui.abstract_screen import AbstractScreenMeta
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.keys_wait import IN_BACKGROUND
from crm_tui.ui.signing_flow import SigningFlow, signing_question
from crm_tui.ui.text import said

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


def dated(info: LetterInfo) -> str:
    return f"{info.written_on:%d %b %Y}" if info.written_on else ""


def _long(info: LetterInfo) -> str:
    on = info.written_on
    return in_prose(on, full_month=True) if on else "the date it bears"


def appeal_by(info: LetterInfo) -> str:
    return f"{info.appeal_by:%d %b %Y}" if info.appeal_by else ""


class LetterCopies(SigningFlow, metaclass=AbstractScreenMeta):
    """Mixed into each screen that lists the register; each says how it shows the outcome."""

    @abstractmethod
    def copies_done(self, message: str, not_to_send: bool = False) -> None:
        """Tell the user, and show the register again (each screen its own way); as a warning
        where the copy is of a letter not to be sent (not_to_send)."""

    def may_copy(self, entry: LetterInfo | None, action: str,
                 appeal_signer: tuple[int, str] | None = None) -> bool:
        """Export a copy: any issued letter. Re-send: an issued letter this person may sign;
        an appeal outcome only by who decided the appeal (`appeal_signer`, where the screen
        knows it; the service refuses anyone else in any case)."""
        if entry is None or entry.status != "issued":
            return False
        if action != "resend":
            return True
        actor = cast("CrmApp", self.app).actor
        if entry.kind is LetterKind.APPEAL_OUTCOME:
            return appeal_signer is None or appeal_signer[0] == actor.user_id
        return may_sign(actor, entry.kind)

    def may_resend_now(self, entry: LetterInfo | None,
                       appeal_signer: tuple[int, str] | None = None) -> bool | None:
        """For check_action of "resend" (True) and "resend_refused" (False): None only with no
        letter in hand. A letter not yet posted cannot have been lost: `r` is left out of the
        footer and, pressed, says so at once (v15e F10: it opened the form and the signing
        question, and only then refused); so does a letter this person may not re-send, and
        one never issued (fixAR AR3: `r` did nothing, and said nothing, on an appeal's
        outcome letter for the CRM, who does not sign it)."""
        if entry is None:
            return None
        return not self.resend_refusal(entry, appeal_signer)

    def resend_refusal(self, entry: LetterInfo,
                       appeal_signer: tuple[int, str] | None = None) -> str:
        """Why `r` does not re-send the letter ("" if it may): never sent (superseded), not
        posted yet, not issued, or a kind this person does not sign (who does)."""
        if entry.superseded:
            # Never "post it" of a letter no post run takes (v16 finding 7): the CLI's words.
            by = f" by letter {entry.replaced_by}" if entry.replaced_by is not None else ""
            return (f"Letter {entry.id} was never posted and is superseded{by}: "
                    f"{entry.superseded}. It is not sent, and neither is a copy")
        if entry.status != "issued":
            return (f"Letter {entry.id} ({entry.short}) was never signed and issued "
                    f"({entry.shown_status}): only a letter posted to the customer is re-sent")
        if entry.posted_on is None:
            return (f"Letter {entry.id} has not been posted yet, so it cannot have been lost: "
                    "post it (P in the Letters area) rather than a copy")
        if not self.may_copy(entry, "resend", appeal_signer):
            actor = cast("CrmApp", self.app).actor
            if entry.kind is LetterKind.APPEAL_OUTCOME and appeal_signer is not None:
                who = (f"only {appeal_signer[1]}, who decided the appeal, signs its outcome "
                       "letter")
            else:
                signers = " or ".join(sorted(r.label for r in SIGNERS[entry.kind]))
                who = f"a letter of this kind is signed by the {signers}"
            return (f"Letter {entry.id} ({entry.short}) is re-sent signed anew, and {who}: "
                    f"{actor.name} may not re-send it. x exports a copy of it for the record")
        return ""

    def resend_refused(self, entry: LetterInfo | None,
                       appeal_signer: tuple[int, str] | None = None) -> None:
        if entry is None:
            return
        why = self.resend_refusal(entry, appeal_signer)
        if why:
            self.notify(why, title="Not re-sent", severity="warning", markup=False)

    def export_copy_of(self, entry: LetterInfo) -> None:
        self._run_export(entry.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-export",
          name=IN_BACKGROUND)
    def _run_export(self, letter_id: int) -> None:
        app = cast("CrmApp", self.app)
        try:
            with session():
                written = copies.write_copy(app.actor, letter_id, app.config.letters_path())
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        # A letter not to be sent says so first, as `letters export` does (issue 15 AU1, AU2:
        # the copy made here said nothing, and a print room could post it).
        notice = written.notice.said
        deliver(self, self.copies_done, (f"{notice}\n" if notice else "")
                + f"Copy of letter {letter_id} (the very same file): {written.path}",
                bool(notice))

    def resend_of(self, entry: LetterInfo) -> None:
        # A copy that could never be posted is refused before the reason and the passphrase
        # are asked for (v15i J2).
        try:
            with session():
                copies.check_resend(cast("CrmApp", self.app).actor, entry.id)
        except DomainError as exc:
            self.notify(said(str(exc)), title="Not re-sent", severity="warning", markup=False)
            return
        self.app.push_screen(TextPromptDialog(
            f"Re-send letter {entry.id} as a duplicate",
            f"The letter of {_long(entry)} is sent again with the same date and text, marked "
            f"\"Copy of the letter sent on {_long(entry)}\", and signed by you. Why is it "
            "re-sent? (for example: the customer says it never arrived)",
            lambda text, _flag: grounds_text("reason", text), confirm="Re-send"),
            lambda reason: self._resend(entry, reason))

    def _resend(self, entry: LetterInfo, reason: str | None) -> None:
        if not reason:
            return
        app = cast("CrmApp", self.app)
        actor, folder = app.actor, app.config.letters_path()
        letter_id = entry.id
        # Said first, as before signing the customer's letter (issue 15 BA2): the copy goes to
        # the customer too. Read now, not when the list was read.
        try:
            with session():
                caution = copies.resend_caution(actor, letter_id)
        except DomainError:
            caution = ""  # refused by the re-send itself, saying why
        self.sign_with(lambda secret: copies.resend(actor, letter_id, folder, secret, reason),
                       self._resent, question=" ".join(filter(None, (caution, signing_question(
                           actor, f"a marked copy of letter {letter_id} ({entry.reference})",
                           entry.customer_name or "the customer")))))

    def _resent(self, issued: IssuedLetter) -> None:
        self.copies_done(f"Re-sent as letter {issued.letter_id}, a marked duplicate: "
                         f"{issued.path}")

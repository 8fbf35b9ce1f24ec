"""Documents the app writes as PDFs: evidence bundles and (later) letters. Pure rendering from
plain data: no database, no Textual."""

import warnings

# pyHanko imports cryptography's DSA key class (for the signatures it can check), and this
# cryptography warns on that import that DSA is deprecated: four lines on the terminal before
# every command's own output (b15b). The app never signs with DSA. Only that one warning, from
# that one module, is silenced; set here, before any module of this package imports pyHanko
# (crm_tui.services.letters.printing loads it through this package too).
warnings.filterwarnings("ignore", message="DSA is deprecated",
                        module=r"pyhanko\.sign\.signers\.pdf_cms")

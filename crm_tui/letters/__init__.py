"""Documents the app writes as PDFs: evidence bundles and (later) letters. Pure rendering from
plain data: no database, no Textual."""

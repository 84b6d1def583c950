"""The Word renderer (python-docx): walks the booklet tree and writes an editable .docx."""

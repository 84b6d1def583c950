#!/bin/sh
# Tools the tests call: poppler-utils (pdftotext, pdffonts, pdftoppm), LibreOffice Writer
# (converts the .docx to PDF to check what a reader of the Word file sees) and its Python bridge
# python3-uno (tests/lo/clerk.py edits a department's file in LibreOffice as a clerk would).
set -eu
missing=""
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing="$missing python3-uno"
if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "テスト用のパッケージを入れます:$missing"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "テストに必要なパッケージがありません:$missing" >&2
        exit 1
    fi
fi

"""Edit a department's Word file in LibreOffice as a clerk would, through LibreOffice's own API
(UNO), and save it as .docx again.  Run with the system Python that has ``uno`` (python3-uno):

    python3 tests/lo/clerk.py IN.docx OUT.docx EDITS.json

EDITS.json is a list of edits, each on a field found by its bookmark (dg_<id>):
  {"type": "append", "field": "f002", "text": "…"}       type at the end of the field's text
  {"type": "bullet", "field": "f003", "text": "…"}       add an item after the field's last list item
  {"type": "delete-line", "field": "f005", "line": 2}    delete the field's n-th paragraph (1-based)
  {"type": "paste", "field": "f001", "text": "…"}        insert text at the start of the field with
                                                         other formatting (a font and size of its own),
                                                         as text pasted from another document comes
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(200):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.1)
    raise SystemExit("LibreOffice did not start")


def paragraphs_of(doc, name):
    """The paragraphs a bookmark spans, in order."""
    anchor = doc.getBookmarks().getByName(name).getAnchor()
    text = anchor.getText()
    enum = text.createEnumeration()
    out = []
    compare = text
    while enum.hasMoreElements():
        par = enum.nextElement()
        if not par.supportsService("com.sun.star.text.Paragraph"):
            continue
        try:
            inside = (compare.compareRegionStarts(par.getStart(), anchor.getEnd()) >= 0
                      and compare.compareRegionEnds(par.getEnd(), anchor.getStart()) <= 0)
        except Exception:
            inside = False
        if inside:
            out.append(par)
    return out


def main():
    source, target, edits_file = sys.argv[1:4]
    edits = json.load(open(edits_file, encoding="utf-8"))
    pipe = f"docgen_clerk_{os.getpid()}"
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                           (prop("Hidden", True),))
        for edit in edits:
            name = "dg_" + edit["field"]
            pars = paragraphs_of(doc, name)
            if not pars:
                raise SystemExit(f"no paragraphs for {name}")
            text = pars[0].getText()
            if edit["type"] == "append":
                cursor = text.createTextCursorByRange(pars[-1].getEnd())
                text.insertString(cursor, edit["text"], False)
            elif edit["type"] == "bullet":
                cursor = text.createTextCursorByRange(pars[-1].getEnd())
                text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK: the new item keeps the list
                text.insertString(cursor, edit["text"], False)
            elif edit["type"] == "delete-line":
                par = pars[edit["line"] - 1]
                cursor = text.createTextCursorByRange(par.getStart())
                cursor.gotoEndOfParagraph(True)
                cursor.goRight(1, True)  # and its paragraph mark
                cursor.setString("")
            elif edit["type"] == "paste":
                cursor = text.createTextCursorByRange(pars[0].getStart())
                cursor.setPropertyValue("CharFontName", "Liberation Serif")
                cursor.setPropertyValue("CharHeight", 12.0)
                text.insertString(cursor, edit["text"], False)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                       (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        office.wait(timeout=30)


if __name__ == "__main__":
    main()

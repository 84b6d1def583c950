"""The PDF renderer (reportlab): walks the booklet tree and writes a print-ready A4 booklet."""

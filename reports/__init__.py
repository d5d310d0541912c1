"""Report rendering: documents (tables with typed columns) to PDF (WeasyPrint, Noto CJK) and XLSX.

This package knows nothing of the project: a report definition (``resolvers.reports``) builds a
``Document`` from the database; ``reports.pdf`` and ``reports.xlsx`` render it. The PDF table and
the XLSX sheet are made from the same ``Column`` list, so they always show the same rows.
"""

from reports.document import Column, Document, Table, TableRow

__all__ = ["Column", "Document", "Table", "TableRow"]

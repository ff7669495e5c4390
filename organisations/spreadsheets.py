"""What goes into a CSV file that people open in a spreadsheet."""


def spreadsheet_cell(text: str) -> str:
    """Text is data: a spreadsheet must not read a cell as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

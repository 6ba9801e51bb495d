"""Question bank room, pure core: which question file format a text is in, told by its content, so
a Moodle XML file is never read as GIFT (where its lines would become "description" questions)."""

import re
from typing import Literal, get_args

QuestionFormat = Literal["gift", "moodlexml"]
#: The formats a bank imports and exports, by the names `?format=` takes.
FORMATS: tuple[QuestionFormat, ...] = get_args(QuestionFormat)
#: The media type and file name ending of each format's export.
MEDIA_TYPES: dict[QuestionFormat, str] = {
    "gift": "text/plain; charset=utf-8",
    "moodlexml": "application/xml; charset=utf-8",
}
EXTENSIONS: dict[QuestionFormat, str] = {"gift": "gift.txt", "moodlexml": "moodle.xml"}
#: The largest question file a bank takes (the bank page's file limit), in characters.
MAX_IMPORT_CHARS = 2_000_000

# An XML declaration, a comment, a doctype or a <quiz> element first: GIFT starts with none of these
# (a GIFT comment is `//`, a title `::`, and question text that starts with a tag is rare enough
# that such a file names its format with ?format=gift).
_XML_START = re.compile(r"<(\?xml|!--|!DOCTYPE|quiz[\s>/])", re.IGNORECASE)


def detect_format(text: str) -> QuestionFormat:
    """``moodlexml`` when the text (after a byte order mark and blank space) starts as XML does,
    else ``gift``."""
    return "moodlexml" if _XML_START.match(text.lstrip("\ufeff \t\r\n")) else "gift"

"""E-mail addressing and headers built safely: a display name never becomes a recipient
and nothing a user typed can add a header line."""

from email.utils import formataddr


def one_line(text):
    """Text for a header: any run of whitespace (CR and LF included) becomes one space."""
    return " ".join(str(text).split())


def address(name, email):
    """`"Svensson, Anna" <anna@example.se>`: the name is quoted as RFC 5322 needs, so a
    comma, a parenthesis or an @ in it stays part of the name."""
    return formataddr((one_line(name), email))

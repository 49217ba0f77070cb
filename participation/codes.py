"""Random codes that people type: voting codes and personal tracking codes.

Crockford base32 (no I, L, O, U), 15 characters = 75 random bits, shown in three groups of five.
When typed back, case, spaces and dashes do not matter, and O/I/L are read as 0/1/1.
"""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 15
BITS = LENGTH * 5  # 75
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """'abcde-fghjk mnpqr' → 'ABCDEFGHJKMNPQR'; '' when it cannot be a code."""
    code = "".join(ch for ch in (typed or "").upper() if ch.isalnum()).translate(_TYPO)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def pretty(code: str) -> str:
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()

"""Password hashes: argon2id at OWASP's minimum parameters (19 MiB, 2 passes, 1 lane) through argon2-cffi.

Hashes made before (werkzeug's ``scrypt:`` and ``pbkdf2:`` strings) still verify; ``needs_rehash`` says when a
proven password should be hashed again (``services.authenticate`` does it on a successful log-in). The cost was
chosen by measurement: ``bench/password_hash.py`` (figures in bench/README.md)."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

# OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1

_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM,
                         hash_len=32, salt_len=16, type=Type.ID)


def hash_password(password: str) -> str:
    """A new argon2id hash (``$argon2id$v=19$m=19456,t=2,p=1$salt$hash``)."""
    return _hasher.hash(password)


def is_argon2(stored: str) -> bool:
    return stored.startswith("$argon2")


def verify(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored``: an argon2 hash, or one of werkzeug's earlier formats."""
    if is_argon2(stored):
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored, password)


def needs_rehash(stored: str) -> bool:
    """True for a hash of an earlier kind or made with other parameters than today's."""
    if not is_argon2(stored):
        return True
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True

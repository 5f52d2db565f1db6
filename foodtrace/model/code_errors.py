"""The ways a GS1 or SB/T code breaks its rules (``model.codes``), each a key with its English text: a
``CodeError`` carries the key and its arguments, so that a service can say it in the reader's language
(``i18n/input_errors.py`` holds the zh and en of each key; this layer cannot import ``i18n``)."""

from __future__ import annotations

# The English of each way a code breaks its rules, by key (said in zh as well by ``i18n.input_errors``).
CODE_ERRORS: dict[str, str] = {
    "code_key_not_digits": "{body!r}: a GS1 key is digits only",
    "code_gtin_length": "GTIN {gtin!r} must be 8, 12, 13 or 14 digits",
    "code_gtin_check_digit": "GTIN {gtin!r} has a wrong check digit (expected {expected})",
    "code_key_length": "{name} ({ai}) {value!r} must start with {digits} digits",
    "code_key_check_digit": "{name} ({ai}) {value!r} has a wrong check digit (expected {expected})",
    "code_dl_qualifier": "AI ({qualifier}) cannot qualify ({ai}) in a Digital Link path",
    "code_element_string_form": "{text!r} is not a GS1 element string like (01)09520123456788(10)LOT1",
    "code_element_string_primary": "{text!r}: exactly one primary key (01, 00, 414…) is expected",
    "code_ai_too_long": "({ai}) {value!r} is longer than {max} characters",
    "code_ai_fixed_length": "({ai}) {value!r} must be {digits} digits",
    "code_epc_digits": "{company}.{ref}: expected {digits} digits before the check digit",
    "code_epc_no_reference": "{company}.{ref}: missing reference",
    "code_sbt_parts": "an SB/T code needs a 6-digit area, a 4-digit node and a serial below 10,000,000",
}


class CodeError(ValueError):
    """A code that claims a format and breaks its rules (length, check digit…). Its message is the English
    text of ``key`` (``CODE_ERRORS``) with ``args``; ``key`` and ``args_of_key`` let a service say it again
    in the reader's language (as ``errors.FoodtraceError`` does)."""

    def __init__(self, key: str, /, **args: object):
        self.key = key
        self.args_of_key = args
        super().__init__(CODE_ERRORS[key].format(**args))

    def __reduce__(self):
        return _code_error, (self.key, self.args_of_key)


def _code_error(key: str, args: dict) -> CodeError:
    return CodeError(key, **args)


__all__ = ["CODE_ERRORS", "CodeError"]

"""The one root exception for "xltools cannot go on", with a branch per kind of cause.

A wrong number in a received report is not an exception: it is a finding (see
``xltools.validators``). These are for things that stop a command: a broken rule-set file, a bad
option, an argument a worksheet function cannot use.
"""


class XltoolsError(Exception):
    """xltools cannot go on; the message says why and what to do, in Vietnamese."""


class RuleSetError(XltoolsError):
    """A rule-set file is missing or malformed."""


class InputError(XltoolsError, ValueError):
    """A value given to xltools (an argument, an option) cannot be used."""

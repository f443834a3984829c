"""The attrs classes of the two contracts: frozen, slotted and keyword-only, with snake_case
attributes. The legacy contract of POST /v2/traces/sessions (``CreateSessionRequestBody`` and
its response, ``Billing``, ``CreateSessionUsage``) and the current one of /v2/sessions, the
threads (``CreateThreadRequest``, ``Thread``, ``UpdateThreadRequest``, the list and count
requests and responses, ``ThreadFilters``, ``ThreadBilling``, ``ThreadUsage``, and the string
enums ``ThreadKind`` and ``SessionInterval``, typed as ``Literal`` aliases).

The classes are written from the schema files in ``sessionschema/schemas/`` into
:mod:`sessionschema._models` (``make models``; a test fails when that module is stale), so the
files are the one source of the fields, their order, optionality, types and descriptions. Their
validators are the kinds' own (:mod:`sessionschema._kinds`), the same definitions of number,
string and date-time as the generated pass: an object that exists is one that ``dump`` can write
and the schema accepts. This module adds the upstream API's other names for some of them.
"""

from . import _models
from ._kinds import Number
from ._models import *  # noqa: F403  (every model and enum of the schema files)
from ._models import MODELS, Billing, CreateSessionUsage

__all__ = ["MODELS", "CreateSessionBilling", "CreateSessionSessionsUsage", "Number"]
__all__ += _models.__all__  # every model and enum of the schema files

CreateSessionBilling = Billing
"""The upstream API's name for :class:`Billing` in its response."""
CreateSessionSessionsUsage = CreateSessionUsage
"""The upstream API's name for :class:`CreateSessionUsage` in its response."""

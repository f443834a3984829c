"""``sessionschema serve``: a local stand-in for the orq sessions API, exact to the contract.

It needs the extra ``service`` (``pip install 'sessionschema[service]'``: FastAPI, uvicorn with
httptools). The routes, with the paths, methods, status codes and bodies of the contract
(snake_case JSON):

=======  ================================  =====================================================
POST     /v2/sessions                      200 ``Thread`` (a new ``_id``)
GET      /v2/sessions/{session_id}         200 ``Thread``, or 404
PATCH    /v2/sessions/{session_id}         200 ``Thread`` with the ``UpdateThreadRequest``
                                           applied, or 404
DELETE   /v2/sessions/{session_id}         204, or 404
POST     /v2/sessions/query                200 ``ListThreadsResponse``: one page of the threads
                                           that meet the filters
POST     /v2/sessions/count                200 ``GetThreadCountResponse``
GET      /v2/sessions/tags                 200 every tag in use
POST     /v2/traces/sessions               200 ``CreateSessionResponseBody`` (legacy), or 409
                                           for an ``external_id`` already taken
GET      /v2/traces/sessions/{session_id}  200 ``CreateSessionResponseBody`` (legacy), or 404
=======  ================================  =====================================================

Every body is read as raw bytes by ``ss.loads`` (:class:`JSONBody`): 422 problem details with
every problem listed, 413 over the size limit, 415 for a body that is not JSON, 408 for a body
that does not arrive in time. With an API key, a request without it is a 401 in the shape of the
SDK's ``ErrorResponse``. :func:`create_app` gives the app, :func:`serve` runs it.

The pieces serve an app of one's own too: :class:`JSONBody` (the dependency that reads a body
as a model) with :func:`add_problem_handlers`, and the lingering close (:class:`CloseUnreadBody`
as middleware, :class:`LingeringProtocol` as uvicorn's ``http``), so that a client still
sending a body over the limit reads the 413 (``examples/service/app.py``); :func:`guarded` gives
the protocol with the bounds on headers and connections too (:class:`GuardedProtocol`), which
the server runs.
"""

from ._app import LEGACY, THREADS, Settings, create_app, get_settings, get_store
from ._body import BodySettings, JSONBody
from ._guard import GuardedProtocol, guarded
from ._lingering import CloseUnreadBody, LingeringProtocol
from ._problems import ErrorAnswer, Problem, add_problem_handlers
from ._run import HOST, PORT, serve
from ._store import Filters, Row, Store, StoreError

__all__ = [
    "HOST",
    "LEGACY",
    "PORT",
    "THREADS",
    "BodySettings",
    "CloseUnreadBody",
    "ErrorAnswer",
    "Filters",
    "GuardedProtocol",
    "JSONBody",
    "LingeringProtocol",
    "Problem",
    "Row",
    "Settings",
    "Store",
    "StoreError",
    "add_problem_handlers",
    "create_app",
    "get_settings",
    "get_store",
    "guarded",
    "serve",
]

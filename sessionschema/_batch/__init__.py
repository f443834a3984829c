"""Records in batches: what the command line (:mod:`sessionschema.cli`) and
:mod:`sessionschema.dask` share, one module per concern.

- :mod:`.records`: the records in a byte stream, JSON Lines a line at a time or one JSON
  document, each within a size limit, never held in memory beyond it;
- :mod:`.sources`: the inputs a list of paths names (files, directories, URLs, standard input),
  each looked at once, and reading one of them whole in this process;
- :mod:`.check`: the checker that every way of running records uses, and what it finds;
- :mod:`.blocks`: byte blocks of a file on line boundaries, planned from its size and read and
  checked wherever they are sent (a Dask worker).

Nothing here imports the command line, dask or fsspec (fsspec only when a URL is read).
"""

"""The machinery of the command line (:mod:`sessionschema.cli`), one module per concern.

- :mod:`.read`: reading records: sources (files, directories, URLs, standard input) and the
  records in them, JSON Lines or one document each;
- :mod:`.run`: running them: the checker every backend runs, and the backends of one process
  and of a process pool behind one interface;
- :mod:`.cluster`: the backend of a Dask cluster (imported only for ``--dask``);
- :mod:`.notes`: what is said once beside the problems, when the records seem to be of another
  model or style, or JSON Lines read as one document;
- :mod:`.write`: writing results: text or JSON Lines, colour, progress, the notes, the summary.
"""

"""PySide6 desktop window: a thin layer over `searchapp.search` and `searchapp.index`.

Only Qt and the light modules (`models`, `config`) are imported on the GUI
thread at start; the search engine and the indexer are imported by the worker
threads so the window appears before pyvi and Whoosh are loaded.
"""

"""Indexing with several processes, built on Whoosh's own multi-process writer.

Whoosh's `MpWriter` hands batches of documents to sub-processes, each of
which analyses them and writes its own segment; the parent adds those
segments to the index in one commit. Here the sub-processes receive only
file paths and do everything else themselves (decode, clean, recognise
provinces, segment with pyvi, write postings), so all of the per-article
work runs on every core and nothing big crosses a process boundary.

A shared counter tells the parent how far the sub-processes have got, for
the progress bar; files they could not read come back on a queue.
"""
from __future__ import annotations

import multiprocessing
import pickle
import queue
import time
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

from searchapp.documents import file_problem, prepare_documents, read_context
from searchapp.models import FileError
from searchapp.postings import BlockSegmentWriter
from searchapp.storage import exit_with_parent


class _ArticleSubWriter(SubWriterTask):
    def __init__(self, storage, indexname, jobqueue, resultqueue, kwargs, multisegment, done, failures):
        super().__init__(storage, indexname, jobqueue, resultqueue, kwargs, multisegment)
        self.done = done
        self.failures = failures

    def run(self):
        # Whatever the start method: a worker never outlives the run that started it.
        exit_with_parent()
        # SubWriterTask.run with our writer: it writes its segment's posting lists a block
        # at a time (postings.BlockSegmentWriter) instead of through Whoosh's sorting pool.
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = BlockSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)

    def _process_file(self, filename, doc_count):
        writer = self.writer
        tempstorage = writer.temp_storage()
        with tempstorage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                _code, args = pickle.load(f)
                path = args["path"]
                try:
                    docs = prepare_documents(path, read_context(args.get("ocr_cache_dir")))
                except Exception as e:  # noqa: BLE001 - reported, never fatal for the run
                    self.failures.put((path, *file_problem(e)))
                else:
                    for fields in docs:
                        writer.add_document(**fields)
                with self.done.get_lock():
                    self.done.value += 1
        tempstorage.delete_file(filename)


def _run(storage, indexname, jobqueue, resultqueue, kwargs, multisegment, done, failures):
    # Module-level entry point for the spawn/forkserver start methods.
    _ArticleSubWriter(storage, indexname, jobqueue, resultqueue, kwargs, multisegment, done, failures).run()


class ArticleWriter(MpWriter):
    """An MpWriter whose `add_path(path)` is read and indexed in a sub-process."""

    def __init__(self, ix, procs: int, start_method: str | None, **kwargs):
        # multisegment: each worker's segment is kept as it is (the run's tiered merges
        # join them later); the workers' run() relies on it.
        super().__init__(ix, procs=procs, batchsize=16, multisegment=True, start_method=start_method, **kwargs)
        ctx = multiprocessing.get_context(start_method) if start_method else multiprocessing
        self.done = ctx.Value("i", 0)
        self.failure_queue = ctx.Queue()
        self.failures: list[FileError] = []

    def _new_task(self):
        args = (self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment,
                self.done, self.failure_queue)
        if self.start_method is None:
            task = _ArticleSubWriter(*args)
        else:
            task = self._mpctx.Process(target=_run, args=args)
        self.tasks.append(task)
        task.start()
        return task

    def add_path(self, path: str, ocr_cache_dir: str | None = None) -> None:
        self.add_document(path=path, ocr_cache_dir=ocr_cache_dir)

    def processed(self) -> int:
        return self.done.value

    def flush(self) -> None:
        """Hand the buffered paths to the sub-processes now."""
        if self.docbuffer:
            self._enqueue()

    def wait(self, total: int, tick, cancelled) -> bool:
        """Wait until `total` paths are processed; False if cancelled or a worker died."""
        self.flush()
        while self.done.value < total:
            self.collect_failures()
            tick(self.done.value)
            if cancelled():
                return False
            if self.tasks and not any(t.is_alive() for t in self.tasks):
                raise RuntimeError("the indexing worker processes stopped unexpectedly")
            time.sleep(0.05)
        self.collect_failures()
        return True

    def collect_failures(self) -> None:
        while True:
            try:
                path, code, params = self.failure_queue.get_nowait()
            except queue.Empty:
                return
            self.failures.append(FileError(path, code, params))

    def cancel(self, **kwargs: Any) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=5)
        self.tasks = []
        super().cancel(**kwargs)

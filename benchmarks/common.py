"""Shared plumbing for the benchmark scripts: corpora, timing statistics, machine
description, Markdown tables and the sections of `docs/benchmarks.md`.

Nothing here imports the project's engine, so the baselines can run (and be
compared) even while the engine is being changed or is broken.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
SHARED_DIR = REPO_DIR.parent / "shared"
DATA_DIR = BENCH_DIR / "data"
DOCS_FILE = REPO_DIR / "docs" / "benchmarks.md"
PYTHON = sys.executable

CORPUS_NAMES = ("baomoi-35k", "dantri-unc-2653")


# --------------------------------------------------------------------------- work dir / corpora


def work_dir(override: str | Path | None = None) -> Path:
    """Scratch space for unpacked corpora and built indexes (git-ignored).

    `BENCH_WORK` lets the smoke tests keep everything inside a pytest tmp dir.
    """
    path = Path(override or os.environ.get("BENCH_WORK") or BENCH_DIR / "work")
    path.mkdir(parents=True, exist_ok=True)
    return path


def corpus_dir(name: str, work: Path | None = None) -> Path:
    """The unpacked corpus NAME, unpacking `../shared/corpora/NAME.tar.xz` on first use."""
    target = (work or work_dir()) / name
    if target.is_dir() and any(target.iterdir()):
        return target
    archive = SHARED_DIR / "corpora" / f"{name}.tar.xz"
    if not archive.is_file():
        raise FileNotFoundError(f"corpus {name!r}: neither {target} nor {archive} exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    # The archives hold a single top-level folder named like the corpus.
    subprocess.run(["tar", "xJf", str(archive), "-C", str(target.parent)], check=True)
    return target


def resolve_corpus(arg: str, work: Path | None = None) -> Path:
    """A corpus argument is either an existing folder or the name of a shared corpus."""
    path = Path(arg).expanduser()
    if path.is_dir():
        return path.resolve()
    return corpus_dir(arg, work)


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() == ".txt")


def spread_sample(items: Sequence[Path], n: int) -> list[Path]:
    """`n` items evenly spread over the sorted list, so a subset keeps every topic."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def limited_corpus(corpus: Path, limit: int | None, work: Path) -> Path:
    """A folder holding `limit` articles of `corpus` (the corpus itself without a limit).

    Every system, ours included, then indexes exactly the same files: ours takes
    a folder, so the subset has to be a real folder of copies.
    """
    files = corpus_files(corpus)
    if not limit or limit >= len(files):
        return corpus
    target = work / "subsets" / f"{corpus.name}-{_path_key(corpus)}-{limit}"
    chosen = spread_sample(files, limit)
    if target.is_dir() and len(corpus_files(target)) == len(chosen):
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for src in chosen:
        shutil.copy2(src, target / src.name)
    return target


def corpus_label(full: Path, used: Path) -> str:
    """How a section names its corpus: the folder, and whether a spread subset was used."""
    if used == full:
        return str(full)
    return f"{full} (subset of {len(corpus_files(used))} articles spread over the corpus)"


def _path_key(path: Path) -> str:
    return hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]


def corpus_key(corpus: Path) -> str:
    """Names the cached indexes of one corpus folder."""
    return f"{corpus.name}-{_path_key(corpus)}"


def index_dir(work: Path, corpus: Path, system: str) -> Path:
    return work / "indexes" / corpus_key(corpus) / system


def corpus_bytes(corpus: Path) -> int:
    return sum(p.stat().st_size for p in corpus_files(corpus))


@dataclass
class RawDoc:
    """An article split the way ours splits it: first line after `# ` headers = title."""

    id: str  # file name: what the known-item sets call an article
    title: str
    body: str


def read_doc(path: Path) -> RawDoc:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    lines = text.splitlines()
    i = 0
    while i < len(lines) and lines[i].startswith("# "):
        i += 1
    # Blank lines before the title are not the title.
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = lines[i].strip() if i < len(lines) else ""
    body = "\n".join(lines[i + 1 :]).strip()
    return RawDoc(id=path.name, title=title, body=body)


def iter_docs(corpus: Path) -> Iterator[RawDoc]:
    """Lazily, so reading the files is part of every baseline's build time."""
    for path in corpus_files(corpus):
        yield read_doc(path)


# --------------------------------------------------------------------------- query spellings


def strip_diacritics(text: str) -> str:
    """What a user typing without a Vietnamese keyboard writes (same as make_known_items.py)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", text)


def _tone_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for base, marks in (("oa", "àáảãạ"), ("oe", "èéẻẽẹ"), ("uy", "ỳýỷỹỵ")):
        for mark in marks:
            tone = unicodedata.normalize("NFD", mark)[1]
            old = base[0] + unicodedata.normalize("NFC", base[1] + tone)  # hoà
            new = unicodedata.normalize("NFC", base[0] + tone) + base[1]  # hòa
            pairs[old] = new
            pairs[new] = old
    return pairs


_TONE_PAIRS = _tone_pairs()


def swap_tone(word: str) -> str:
    """The other (old/new) tone-mark placement of an oa/oe/uy syllable, e.g. hoà <-> hòa."""
    lower = word.lower()
    for a, b in _TONE_PAIRS.items():
        if lower.endswith(a) and (len(lower) == len(a) or lower[-len(a) - 1] not in "gq"):
            return word[: len(word) - len(a)] + b
    return word


def spellings(query: str) -> dict[str, str | None]:
    tone = " ".join(swap_tone(w) for w in query.split())
    return {"exact": query, "nodiac": strip_diacritics(query), "tone": tone if tone != query else None}


@dataclass
class Query:
    text: str
    spelling: str  # "exact" | "nodiac" | "tone"
    source_id: str  # the article the span came from


def title_span_queries(corpus: Path, n: int, seed: int = 7) -> list[Query]:
    """`n` queries: 3-6 word spans of random titles, each in every spelling it has.

    Every other span is taken around a word whose tone mark can move (hoà/hòa),
    otherwise the "tone" spelling would be too rare to time.
    """
    rng = random.Random(seed)
    titles = [(p.name, re.findall(r"\w+", read_doc(p).title)) for p in corpus_files(corpus)]
    titles = [(name, words) for name, words in titles if len(words) >= 4]
    rng.shuffle(titles)
    with_tone = [t for t in titles if any(swap_tone(w) != w for w in t[1])]
    queries: list[Query] = []
    for i in range(len(titles)):
        want_tone = i % 2 == 1 and with_tone
        name, words = with_tone.pop() if want_tone else titles[i]
        for spelling, text in spellings(_span(words, rng, want_tone)).items():
            if text:
                queries.append(Query(text, spelling, name))
        if len(queries) >= n:
            break
    return queries[:n]


def _span(words: list[str], rng: random.Random, around_tone: bool) -> str:
    k = rng.randint(3, min(6, len(words)))
    if around_tone:
        j = rng.choice([i for i, w in enumerate(words) if swap_tone(w) != w])
        start = max(0, min(j - rng.randint(0, k - 1), len(words) - k))
    else:
        start = rng.randint(0, len(words) - k)
    return " ".join(words[start : start + k])


# --------------------------------------------------------------------------- known-item sets


@dataclass
class KnownItem:
    id: str
    relevant: set[str]
    title: str
    queries: dict[str, str | None]  # spelling -> query text (None: no such variant)


def load_known_items(path: Path, corpus: Path | None = None) -> list[KnownItem]:
    """Known items, restricted to the articles present in `corpus` when given."""
    present = {p.name for p in corpus_files(corpus)} if corpus else None
    items = []
    for raw in json.loads(path.read_text(encoding="utf-8")):
        relevant = set(raw["relevant"])
        if present is not None:
            if raw["id"] not in present:
                continue
            relevant &= present
        items.append(
            KnownItem(
                id=raw["id"],
                relevant=relevant,
                title=raw["title"],
                queries={s: raw.get(s) for s in ("exact", "nodiac", "tone")},
            )
        )
    return items


# --------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


# --------------------------------------------------------------------------- process-tree memory


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # bytes, summed over the process and all its children
    wall: float  # seconds, including interpreter start-up
    children_cpu: float  # user + system seconds of every descendant (not the process itself)
    root_cpu: float = 0.0  # the process's own, as last sampled (its last 50 ms may be missing)


class _TreeSampler:
    """Polls a process tree: peak summed RSS, and the last CPU time seen per descendant.

    CPU time matters on a shared machine: it barely moves when other jobs
    compete for the cores, whereas wall time does.
    """

    def __init__(self, pid: int) -> None:
        import psutil

        self.peak_rss = 0
        self.root_cpu = 0.0
        self._cpu: dict[tuple[int, float], float] = {}  # (pid, create_time) -> user + system
        try:
            self._root = psutil.Process(pid)
        except psutil.Error:
            self._root = None

    def sample(self) -> None:
        import psutil

        if self._root is None:
            return
        try:
            procs = [self._root] + self._root.children(recursive=True)
        except psutil.Error:
            return
        rss = 0
        for p in procs:
            try:
                with p.oneshot():
                    rss += p.memory_info().rss
                    times = p.cpu_times()
                    if p is self._root:  # the root can report its own CPU exactly; this is a fallback
                        self.root_cpu = times.user + times.system
                    else:
                        self._cpu[(p.pid, p.create_time())] = times.user + times.system
            except psutil.Error:
                pass
        self.peak_rss = max(self.peak_rss, rss)

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())


def run_measured(cmd: list[str], timeout: float | None = None, env: dict | None = None,
                 interval: float = 0.05) -> Measured:
    """Run `cmd`, sampling the RSS of its whole process tree and its descendants' CPU time.

    A descendant's last 50 ms may go unseen; the process itself should report
    its own CPU time (`own_cpu_seconds`), which is exact.
    """
    start = time.perf_counter()
    popen = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=REPO_DIR, env=env)
    sampler = _TreeSampler(popen.pid)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            sampler.sample()
            stop.wait(interval)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        out, err = popen.communicate(timeout=timeout)
    finally:
        stop.set()
        thread.join()
        if popen.poll() is None:
            popen.kill()
            popen.communicate()
    return Measured(popen.returncode, out, err, sampler.peak_rss, time.perf_counter() - start, sampler.cpu,
                    sampler.root_cpu)


def own_cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def dir_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- reporting


def machine_info() -> dict[str, str]:
    import psutil

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 1
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "date": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": str(nproc),
        "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "cpu": model,
        "python": platform.python_version(),
        "load": load,
    }


def machine_line(corpus: str, n: int | str) -> str:
    m = machine_info()
    return (
        f"*{m['date']} — {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, Python {m['python']}, "
        f"load average at start {m['load']}. Corpus: `{corpus}`, N = {n}.*"
    )


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


DOC_HEADER = """# Benchmarks

Generated by the scripts in `benchmarks/`; each script rewrites only its own section
(between `<!-- BEGIN name -->` and `<!-- END name -->`), so edit text outside them only.

    python benchmarks/run_all.py                    # everything, shared corpora (tens of minutes)
    python benchmarks/run_all.py --small            # ~200 articles (what tests/test_benchmarks.py runs)
    python benchmarks/bench_index.py CORPUS [--limit N]
    python benchmarks/bench_query.py CORPUS [--queries N]
    python benchmarks/bench_relevance.py [--dantri DIR] [--baomoi DIR]
    python benchmarks/bench_app.py CORPUS
    python benchmarks/bench_correct.py [--queries N]  # searches that need a typo/Telex/VNI correction, 35k
    python benchmarks/bench_complete.py INDEX_DIR     # completion while typing
    python benchmarks/bench_places.py [CORPORA_DIR]   # provinces from the body, hand-labelled set
    python benchmarks/bench_scale.py [--sizes 1,4,10] # 1x/4x/10x archives: build, size, memory, latency (hours)
    python benchmarks/bench_fields.py [CORPUS]        # what each field of the index costs on disk
    python benchmarks/profile_ours.py CORPUS        # cProfile of our indexing and searching

CORPUS is a folder or the name of a corpus in `../shared/corpora/` (unpacked into
`benchmarks/work/` on first use). Systems compared, all run side by side in the same session:

- **ours**: `searchapp.index.update_index` / `searchapp.search.SearchEngine`.
- **stock Whoosh**: `StandardAnalyzer` on `title` and `body`, `MultifieldParser` (AND), BM25F defaults.
- **fold-all Whoosh**: the same with every diacritic and `đ` folded away, in the text and the queries.
- **SQLite FTS5**: `unicode61 remove_diacritics 2` tokenizer, `bm25` with the title weighted 10,
  the query's words ANDed (each quoted).

The machine is shared: each section records the load average when it started, and CPU times
are given next to wall times because they move much less when other jobs compete for the cores.
"""


def write_section(name: str, body: str, out: Path | None = None) -> Path:
    """Replace (or append) the `<!-- BEGIN name -->…<!-- END name -->` section of the docs file."""
    out = out or DOCS_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    text = out.read_text(encoding="utf-8") if out.is_file() else DOC_HEADER
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(text, encoding="utf-8")
    return out


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def fmt_mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.1f}"


def ours_available() -> bool:
    """Whether the project's engine can be benchmarked (it may be mid-rewrite)."""
    try:
        from searchapp.index import update_index  # noqa: F401
        from searchapp.ingest import iter_article_files, read_article  # noqa: F401
        from searchapp.search import SearchEngine  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means "not benchmarkable now"
        return False
    return True


def add_repo_to_path() -> None:
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))

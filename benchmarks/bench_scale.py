"""Scale: the same measurements at 1×, 4× and 10× a corpus, with the growth exponent of each.

    python benchmarks/bench_scale.py [--corpus baomoi-35k] [--sizes 1,4,10] [--limit N]
        [--baselines-up-to 4] [--queries N] [--out FILE] [--reuse]
    python benchmarks/bench_scale.py --generate-only [--sizes 1,4,10]   # the corpora only

Size 1× is the base corpus (a spread subset of `--limit` articles of it); size k× is
the base plus k-1 generated copies of every article (`make_copy`), each size a folder of
its own under `<work>/scale/`, hard links into a store of copies generated once
(seeded, so the same bytes on every run) and reused by every size and run.

For each size, every step runs in a process of its own so that its peak memory (the
RSS of its whole process tree) is that step's alone:

- ours: a full build with the real CLI (`python -m searchapp index FOLDER --index DIR`),
  the no-change re-run, then one engine process: open, `warm_up()`, `preload_all()`,
  anonymous memory, what the window asks (20 hits, snippets, facets) timed over the
  queries, and anonymous memory again after more queries; the window's open time
  (`bench_app.time_startups`); last, `--add` new articles copied into the folder and the
  index command run again: the time until they are searchable, checked by a search;
- stock Whoosh and SQLite FTS5 (sizes up to `--baselines-up-to`): build, then a search
  process timing their top 20 over the same queries.

The queries are title spans of the base corpus (`title_span_queries`), the same at
every size. Raw results go to `<work>/scale/<corpus>-results.json` after every step's
system; `--reuse` takes the sizes and systems already there instead of measuring them
again (a crash at 10× keeps 1× and 4×). The report is the `bench_scale` section of
docs/benchmarks.md; a compact table for the README is printed at the end.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    PYTHON,
    REPO_DIR,
    corpus_files,
    corpus_key,
    corpus_label,
    dir_size,
    fmt_mb,
    limited_corpus,
    machine_line,
    md_table,
    median,
    percentile,
    read_doc,
    resolve_corpus,
    run_measured,
    spread_sample,
    strip_diacritics,
    swap_tone,
    title_span_queries,
    work_dir,
    write_section,
)

SECTION = "bench_scale"
RESULT_PREFIX = "RESULT "
BASELINES = ("stock", "fts5")
LABELS = {"ours": "ours", "stock": "stock Whoosh", "fts5": "SQLite FTS5"}
TOP_K = 20  # what the window shows; the baselines are asked for as many
# Bumped whenever make_copy changes: a store made by another version is made again.
GENERATOR_VERSION = 2


# --------------------------------------------------------------------------- copies


SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(]?[A-ZĐÀ-Ỹ0-9])")
WORD = re.compile(r"\w+")
CAPITALISED = re.compile(r"(?<![\w.])([A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?!\w)")
# One pass over the text, tried in this order at each place: a d/m/yyyy date, a year
# 1950-2039 standing alone (not part of 1.234.567 or 3,2019), a number of three or more digits.
NUMBERS = re.compile(
    r"(?P<date>(?<!\d)(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<dy>(?:19[5-9]|20[0-3])\d)(?!\d))"
    r"|(?P<year>(?<![\d,.])(?:19[5-9]|20[0-3])\d(?![.,]?\d))"
    r"|(?P<num>(?<![\d/])\d\d{2,}(?![\d/]))"
)
# A Vietnamese syllable, diacritics folded: initial consonant(s), 1-3 vowels, final consonant(s).
VIET_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
SHUFFLED_WORDS = 6  # shorter sentences (captions, bylines, "Ảnh: TTXVN.") keep their place
EXCHANGED = 0.25  # share of a copy's sentences taken from other articles
RENAMED = 0.5  # share of an article's name syllables a copy renames


@dataclass
class Pools:
    """What copies draw from, read once from the base corpus."""

    viet_names: list[str]  # name syllables shaped like Vietnamese ones (Nguyễn, Hà, Minh)
    foreign_names: list[str]  # the others (Trump, Romania, Samsung)
    names: set[str]  # both: the syllables a copy may rename
    sentences: list[str]  # sentences of other articles, to exchange
    keep: re.Pattern[str] = field(default_factory=lambda: province_names())  # never renamed


def _viet_shaped(word: str) -> bool:
    return VIET_SYLLABLE.fullmatch(strip_diacritics(word).lower()) is not None


def read_pools(files: list[Path]) -> Pools:
    """Name syllables: capitalised words inside a sentence at least twice as often as the
    corpus writes them in lower case (Nguyễn, Hà, Trump; not Tổng of Tổng thống, Bộ of Bộ
    trưởng, nor a word capitalised after a colon or a quote). Replacements: those of them
    seen in a run of capitalised words (Hoàng Tiến Vin) at least 3 times."""
    capital: Counter[str] = Counter()
    in_runs: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    sentences = []
    for k, path in enumerate(files):
        for line in _body_lines(path.read_text(encoding="utf-8-sig", errors="replace")):
            for sentence in SENTENCE.split(line):
                words = WORD.findall(sentence)
                caps = [_is_capitalised(w) for w in words]
                for i in range(1, len(words)):
                    if caps[i]:
                        capital[words[i]] += 1
                        if caps[i - 1] and i > 1 or i + 1 < len(words) and caps[i + 1]:
                            in_runs[words[i]] += 1
                    elif words[i].islower():
                        lower[words[i]] += 1
                if len(words) >= 8 and k % 3 == 0:
                    sentences.append(sentence)
    names = sorted(w for w, n in capital.items() if n >= 2 * lower[w.lower()])
    drawn = [w for w in names if in_runs[w] >= 3]
    viet = [w for w in drawn if _viet_shaped(w)]
    foreign = [w for w in drawn if not _viet_shaped(w)]
    return Pools(viet or drawn or ["An"], foreign or drawn or ["An"], set(names),
                 sentences or ["Không có câu nào."])


def _is_capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower() and word.isalpha()


def _body_lines(text: str) -> list[str]:
    """The lines after the `# key = value` headers: title first."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and lines[i].startswith("# "):
        i += 1
    return lines[i:]


def _rename(sentence: str, mapping: dict[str, str], keep: re.Pattern[str]) -> str:
    """Name syllables renamed, except the sentence's first word (capitalised as a first
    word) and the provinces' names (`keep`): the copies speak of the same 63 provinces,
    so the province facet and the map count them as in real news."""
    first = WORD.search(sentence)
    if not first or not mapping:
        return sentence
    kept = [m.span() for m in keep.finditer(sentence)]

    def rename(m: re.Match[str]) -> str:
        if m.start() < first.end() or any(a <= m.start() < b for a, b in kept):
            return m.group(0)
        return mapping.get(m.group(1), m.group(1))

    return CAPITALISED.sub(rename, sentence)


def province_names() -> re.Pattern[str]:
    """The 63 provinces' names (both tone-mark placements), read from the app's data file,
    and the country's."""
    data = json.loads((REPO_DIR / "searchapp" / "data" / "vietnam_provinces.json").read_text(encoding="utf-8"))
    names = {"Hồ Chí Minh", "Sài Gòn", "Huế", "Việt Nam"}
    for name in data.get("provinces", {}):
        names.update(part.strip() for part in name.split(" - "))
    names |= {" ".join(swap_tone(w) for w in n.split()) for n in names}
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)")


def _shift_numbers(text: str, years: int, rng: random.Random) -> str:
    def replace(m: re.Match[str]) -> str:
        if m.group("date"):
            year = int(m.group("dy")) + years
            day = m.group("d")
            if int(day) == 29 and int(m.group("m")) == 2 and not _leap(year):
                day = "28"
            return f"{day}{m.group('sep')}{m.group('m')}{m.group('sep')}{year}"
        if m.group("year"):
            return str(int(m.group("year")) + years)
        digits = m.group("num")
        return digits[0] + "".join(str(rng.randrange(10)) for _ in digits[1:])

    return NUMBERS.sub(replace, text)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _header(line: str, tag: str, years: int) -> str:
    key, _, value = line[2:].partition("=")
    key, value = key.strip(), value.strip()
    if key == "date" and re.match(r"\d{4}", value):
        year, rest = int(value[:4]) + years, value[4:]
        if rest.startswith(("0229", "-02-29")) and not _leap(year):
            rest = rest.replace("29", "28", 1)
        return f"# date = {year}{rest}"
    if key in ("doc_id", "url"):
        return f"# {key} = {value}{'-' if key == 'doc_id' else '#'}{tag}"
    return line


def make_copy(text: str, seed: str, years: int, pools: Pools) -> str:
    """Another article made from `text`, deterministically from `seed`.

    Its body sentences are shuffled and a quarter of them exchanged for sentences of
    other articles, half its name syllables renamed (the same way everywhere in the
    copy), its numbers of three or more digits redrawn after the first digit, and every
    year it writes (and a `# date =` header) moved by `years`. The title stays a title
    (renamed and re-dated like the rest), so the base's title queries find every copy.
    """
    rng = random.Random(seed)
    lines = text.splitlines()
    n_headers = len(lines) - len(_body_lines(text))
    headers = [_header(line, seed.rsplit(":", 1)[-1], years) for line in lines[:n_headers]]
    title, body = (lines[n_headers], lines[n_headers + 1:]) if n_headers < len(lines) else ("", [])
    paragraphs = [SENTENCE.split(p) for p in body]
    slots = [(i, j) for i, ss in enumerate(paragraphs) for j, s in enumerate(ss) if len(s.split()) >= SHUFFLED_WORDS]
    moved = [paragraphs[i][j] for i, j in slots]
    rng.shuffle(moved)
    # At least one exchanged when there are two or more: a short article's shuffle moves few shingles.
    exchanged = set(rng.sample(range(len(slots)), max(1, round(EXCHANGED * len(slots))))) if len(slots) > 1 else set()
    for k, ((i, j), sentence) in enumerate(zip(slots, moved)):
        paragraphs[i][j] = rng.choice(pools.sentences) if k in exchanged else sentence
    present = sorted({w for ss in [[title], *paragraphs] for s in ss for w in WORD.findall(s)[1:] if w in pools.names})
    mapping = {w: rng.choice(pools.viet_names if _viet_shaped(w) else pools.foreign_names)
               for w in present if rng.random() < RENAMED}
    out = [_rename(title, mapping, pools.keep)] + [" ".join(_rename(s, mapping, pools.keep) for s in ss)
                                                   for ss in paragraphs]
    return "\n".join(headers + [_shift_numbers(line, years, rng) for line in out]) + "\n"


_POOLS: Pools | None = None  # set in the parent before the pool forks: the workers share it


def _write_copies(job: tuple[list[str], str, str, int]) -> int:
    sources, target, tag, years = job
    assert _POOLS is not None
    for src in sources:
        path = Path(src)
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        copy = make_copy(text, f"{path.name}:{tag}", years, _POOLS)
        (Path(target) / f"{path.stem}_{tag}{path.suffix}").write_text(copy, encoding="utf-8")
    return len(sources)


class Corpora:
    """The base corpus, its copies and the size folders, cached under `<work>/scale/`."""

    def __init__(self, base: Path, work: Path, jobs: int) -> None:
        self.base = base
        self.key = corpus_key(base)
        self.root = work / "scale"
        self.store = self.root / f"{self.key}-store"
        self.jobs = jobs
        self.files = corpus_files(base)
        self._pools: Pools | None = None

    @property
    def pools(self) -> Pools:
        """Read once per base corpus (half a minute on 35,000 articles), then from the store."""
        if self._pools is None:
            cache = self.store / "pools.json"
            want = {"version": GENERATOR_VERSION, "files": len(self.files)}
            saved = json.loads(cache.read_text(encoding="utf-8")) if cache.is_file() else {}
            if saved.get("for") == want:
                self._pools = Pools(saved["viet"], saved["foreign"], set(saved["names"]), saved["sentences"])
            else:
                self._pools = pools = read_pools(self.files)
                self.store.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps({"for": want, "viet": pools.viet_names, "foreign": pools.foreign_names,
                                             "names": sorted(pools.names), "sentences": pools.sentences},
                                            ensure_ascii=False), encoding="utf-8")
        return self._pools

    def _generated(self, tag: str, sources: list[Path], years: int) -> Path:
        """The store folder of copies `tag` of `sources`, made once (a marker says it is complete)."""
        target = self.store / tag
        marker = self.store / f"{tag}.complete"
        want = {"version": GENERATOR_VERSION, "files": len(sources), "years": years}
        if marker.is_file() and json.loads(marker.read_text()) == want:
            return target
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        global _POOLS
        _POOLS = self.pools
        t0 = time.perf_counter()
        chunks = [[str(p) for p in sources[i : i + 200]] for i in range(0, len(sources), 200)]
        jobs = [(chunk, str(target), tag, years) for chunk in chunks]
        if self.jobs > 1 and len(chunks) > 1:
            with multiprocessing.get_context("fork").Pool(self.jobs) as pool:
                for _ in pool.imap_unordered(_write_copies, jobs):
                    pass
        else:
            for job in jobs:
                _write_copies(job)
        marker.write_text(json.dumps(want))
        log(f"generated {len(sources):,} articles ({tag}) in {time.perf_counter() - t0:.1f} s")
        return target

    def copies(self, number: int) -> Path:
        """Copy `number` of every base article, dated `number` years earlier."""
        return self._generated(f"c{number:02d}", self.files, -number)

    def extras(self, factor: int, count: int) -> list[Path]:
        """`count` new articles for the k× index (another seed per size), dated a year later."""
        chosen = spread_sample(self.files, count)
        return corpus_files(self._generated(f"new-x{factor:02d}", chosen, 1))[:count]

    def folder(self, factor: int) -> Path:
        """The k× corpus: the base articles and copies 1..k-1, hard links into the store."""
        target = self.root / f"{self.key}-x{factor}"
        sources = list(self.files)
        for number in range(1, factor):
            sources += corpus_files(self.copies(number))
        marker = self.root / f"{self.key}-x{factor}.complete"
        want = {"version": GENERATOR_VERSION, "files": len(sources)}
        if marker.is_file() and json.loads(marker.read_text()) == want and target.is_dir():
            for stray in target.glob("*_new-x*"):  # left by an `add` step that did not finish
                stray.unlink()
            if len(corpus_files(target)) == len(sources):
                return target
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for src in sources:
            link(src, target / src.name)
        marker.write_text(json.dumps(want))
        return target


def link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system
        shutil.copy2(src, dst)


# --------------------------------------------------------------------------- worker side


def _anonymous_mb() -> float:
    from benchmarks.systems import _anonymous_mb as anonymous

    return anonymous()


def _queries(path: Path) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8"))


def _time(ask, queries: list[str]) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for q in queries:
        c0, t0 = time.process_time(), time.perf_counter()
        ask(q)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def _latency(wall: list[float], cpu: list[float]) -> dict:
    return {"p50_ms": percentile(wall, 50) * 1000, "p95_ms": percentile(wall, 95) * 1000,
            "max_ms": max(wall) * 1000, "cpu_p50_ms": percentile(cpu, 50) * 1000,
            "cpu_p95_ms": percentile(cpu, 95) * 1000, "n": len(wall)}


def worker_engine(index: Path, queries_file: Path) -> dict:
    """Ours as the window's engine thread runs it: open, warm up, preload, then searches."""
    from searchapp.models import SearchRequest
    from searchapp.search import SearchEngine

    q = _queries(queries_file)
    out: dict = {"anon_mb_start": _anonymous_mb()}
    t0 = time.perf_counter()
    engine = SearchEngine(index)
    articles = engine.article_count()  # opens the index
    out["open_ms"] = (time.perf_counter() - t0) * 1000
    out["articles"] = articles
    t0 = time.perf_counter()
    engine.warm_up()
    out["warm_up_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine.preload_all()
    out["preload_s"] = time.perf_counter() - t0
    out["anon_mb_preload"] = _anonymous_mb()
    hits: list[int] = []

    def ask(text: str) -> None:
        result = engine.search(SearchRequest(query=text, page_size=TOP_K))
        if result is None or result.error:
            raise RuntimeError(f"ours could not answer {text!r}: {result and result.error}")
        hits.append(len(result.hits))

    _time(ask, q["warmup"])
    wall, cpu = _time(ask, q["timed"])
    out["search"] = _latency(wall, cpu)
    out["with_hits"] = sum(1 for n in hits[len(q["warmup"]):] if n)
    out["anon_mb_timed"] = _anonymous_mb()
    _time(ask, q["more"])
    out["queries_asked"] = len(hits)
    out["anon_mb_more"] = _anonymous_mb()
    try:  # the folded groups of copies: generated copies must not read as republished stories
        out["copy_groups"] = int(engine._current().copies.count)  # type: ignore[union-attr]  # a figure for the report only
    except Exception:  # noqa: BLE001 - an engine without them just leaves the figure out
        pass
    return out


def worker_verify(index: Path, query: str, name: str) -> dict:
    """Whether a search for `query` lists the file `name` (an added article)."""
    from searchapp.models import SearchRequest
    from searchapp.search import SearchEngine

    engine = SearchEngine(index)
    result = engine.search(SearchRequest(query=query, page_size=200, all_copies=True, with_facets=False))
    paths = [Path(hit.path).name for hit in (result.hits if result else [])]
    return {"found": name in paths, "hits": len(paths), "articles": engine.article_count()}


def worker_build(key: str, corpus: Path, index: Path) -> dict:
    from benchmarks.bench_index import _run_baseline  # the same timed build bench_index runs

    return _run_baseline(key, corpus, index)


def worker_search(key: str, index: Path, queries_file: Path) -> dict:
    from benchmarks import baselines

    q = _queries(queries_file)
    system = baselines.make(key)
    t0 = time.perf_counter()
    system.open(index)
    out: dict = {"open_ms": (time.perf_counter() - t0) * 1000}
    found = []

    def ask(text: str) -> None:
        found.append(len(system.search(text, TOP_K)))

    _time(ask, q["warmup"])
    wall, cpu = _time(ask, q["timed"])
    out["search"] = _latency(wall, cpu)
    out["with_hits"] = sum(1 for n in found[len(q["warmup"]):] if n)
    out["anon_mb_timed"] = _anonymous_mb()
    system.close()
    return out


# --------------------------------------------------------------------------- parent side


def log(message: str) -> None:
    print(f"[bench_scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class StepFailed(RuntimeError):
    pass


def run_step(name: str, cmd: list[str], timeout: float, logs: Path) -> dict:
    """Run `cmd` measured; wall, CPU of the whole tree, peak RSS, and its RESULT (or last JSON) line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_measured(cmd, timeout=timeout, env=_env())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Every waited-for descendant's CPU: exact, unlike sampling, but blind to the indexing workers
    # when a forkserver starts them (its children are never waited for): the sampled tree then.
    cpu = max((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
              run.root_cpu + run.children_cpu)
    if run.returncode != 0:
        logs.mkdir(parents=True, exist_ok=True)
        (logs / f"{name}.stderr").write_text(run.stderr, encoding="utf-8")
        from benchmarks.bench_index import _first_traceback

        raise StepFailed(f"{name} failed (exit {run.returncode}), stderr in {logs / (name + '.stderr')}:\n"
                         f"{_first_traceback(run.stderr)}")
    lines = [x for x in run.stdout.splitlines() if x.strip()]
    tagged = [x[len(RESULT_PREFIX):] for x in lines if x.startswith(RESULT_PREFIX)]
    text = tagged[-1] if tagged else (lines[-1] if lines else "{}")
    try:
        result = json.loads(text)
    except json.JSONDecodeError:
        result = {"output": text}
    return {"wall": run.wall, "cpu": cpu, "peak_rss": run.peak_rss, "result": result}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SEARCHAPP_INDEX", None)  # --index names the index on every command
    return env


def searchapp(*args: str) -> list[str]:
    return [PYTHON, "-m", "searchapp", *args]


def worker_cmd(mode: str, *args: str) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "--worker", mode, *args]


@dataclass
class Plan:
    sizes: list[int]
    baselines_up_to: int
    add: int
    window_starts: int
    timeout: float
    queries_file: Path
    logs: Path
    add_query_words: int = 4
    skip: set[str] = field(default_factory=set)


def measure_ours(folder: Path, index: Path, corpora: Corpora, factor: int, plan: Plan) -> dict:
    """Build, re-run, engine, window, add. A failed build fails the size (StepFailed); a later
    step that fails is recorded in `errors` and the others still run (and are reported)."""
    out: dict = {"errors": {}}
    tag = f"ours-x{factor}"
    shutil.rmtree(index, ignore_errors=True)
    index.parent.mkdir(parents=True, exist_ok=True)
    log(f"{tag}: full build of {folder}")
    build = run_step(f"{tag}-build", searchapp("index", str(folder), "--index", str(index), "--json"),
                     plan.timeout, plan.logs)
    out["build"] = build
    out["stats"] = index_stats(index, plan)
    out["size_bytes"] = dir_size(index)
    log(f"{tag}: built in {build['wall']:.1f} s, {out['stats'].get('articles')} articles, "
        f"{out['stats'].get('segments')} segments, {fmt_mb(out['size_bytes'])} MB")

    def step(name: str, measure) -> None:
        try:
            out[name] = measure()
        except (StepFailed, RuntimeError, KeyError, subprocess.TimeoutExpired) as e:
            out["errors"][name] = str(e)[:4000]
            log(f"{tag}: {name} failed: {e}")

    step("rerun", lambda: run_step(f"{tag}-rerun", searchapp("index", str(folder), "--index", str(index), "--json"),
                                   plan.timeout, plan.logs))
    step("engine", lambda: run_step(f"{tag}-engine", worker_cmd("engine", "--index-dir", str(index), "--queries-file",
                                                                str(plan.queries_file)), plan.timeout, plan.logs))
    engine = _get_dict(out, "engine", "result")
    if engine:
        log(f"{tag}: preload {engine['preload_s']:.1f} s, p95 {engine['search']['p95_ms']:.1f} ms, "
            f"anonymous {engine['anon_mb_more']:.0f} MB after {engine['queries_asked']} queries")
    if "window" not in plan.skip:
        step("window_ms", lambda: window_open(index, plan.window_starts))
        if out.get("window_ms"):
            log(f"{tag}: window open median {median(out['window_ms']):.0f} ms")
    step("add", lambda: add_articles(folder, index, corpora, factor, plan))
    return out


def redo_search(ours: dict, index: Path, factor: int, plan: Plan) -> None:
    """Ours' engine step again over the index an earlier run built (a change that only reads
    differently, measured without rebuilding); the first measurement is kept beside it.

    The index then holds the `--add` articles too, so the report says how many it searched."""
    tag = f"ours-x{factor}"
    log(f"{tag}: engine step again over {index}")
    redone = run_step(f"{tag}-engine-redo", worker_cmd("engine", "--index-dir", str(index), "--queries-file",
                                                       str(plan.queries_file)), plan.timeout, plan.logs)
    ours.setdefault("engine_first", ours.get("engine"))
    ours["engine"] = redone
    ours["engine_redone"] = {"at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": _commit()}
    engine = _get_dict(ours, "engine", "result")
    log(f"{tag}: p95 {engine['search']['p95_ms']:.1f} ms over {engine.get('articles')} articles "
        f"(first run {_get(ours, 'engine_first', 'result', 'search', 'p95_ms')} ms)")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _get_dict(data: dict, *path: str) -> dict:
    found: object = data
    for key in path:
        found = found.get(key) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else {}


def index_stats(index: Path, plan: Plan) -> dict:
    return run_step("stats", searchapp("stats", "--index", str(index), "--json"), 600, plan.logs)["result"]


def window_open(index: Path, runs: int) -> list[float]:
    from benchmarks.bench_app import time_startups

    with tempfile.TemporaryDirectory(prefix="bench-scale-app-") as config_home:
        return time_startups(index, runs, Path(config_home))


def add_articles(folder: Path, index: Path, corpora: Corpora, factor: int, plan: Plan) -> dict:
    """`plan.add` new articles copied into the folder, then the index command: until searchable."""
    extras = corpora.extras(factor, plan.add)
    probe = next((p for p in extras if len(WORD.findall(read_doc(p).title)) >= plan.add_query_words), extras[0])
    added = [folder / p.name for p in extras]
    try:
        for src, dst in zip(extras, added):
            link(src, dst)
        tag = f"ours-x{factor}-add"
        step = run_step(tag, searchapp("index", str(folder), "--index", str(index), "--json"), plan.timeout, plan.logs)
        query = read_doc(probe).title
        check = run_step(f"{tag}-verify", worker_cmd("verify", "--index-dir", str(index), "--query", query,
                                                     "--name", probe.name), 600, plan.logs)
        step["verify"] = {**check["result"], "query": query, "name": probe.name}
        step["articles_added"] = len(extras)
        log(f"ours-x{factor}: {len(extras)} articles added in {step['wall']:.1f} s; "
            f"{probe.name} found by a search: {check['result']['found']}")
        return step
    finally:
        for path in added:  # the k× folder is the k× corpus again, for the baselines and later runs
            path.unlink(missing_ok=True)


def measure_baseline(key: str, folder: Path, index: Path, factor: int, plan: Plan) -> dict:
    tag = f"{key}-x{factor}"
    log(f"{tag}: build")
    build = run_step(f"{tag}-build", worker_cmd("build", "--system", key, "--corpus-dir", str(folder),
                                                "--index-dir", str(index)), plan.timeout, plan.logs)
    search = run_step(f"{tag}-search", worker_cmd("search", "--system", key, "--index-dir", str(index),
                                                  "--queries-file", str(plan.queries_file)), plan.timeout, plan.logs)
    size = dir_size(index)
    out = {"build": build, "size_bytes": size, "search": search}
    log(f"{tag}: built in {build['wall']:.1f} s, {fmt_mb(size)} MB, "
        f"p95 {search['result']['search']['p95_ms']:.1f} ms")
    return out


def query_sets(base: Path, warmup: int, timed: int, total: int) -> dict[str, list[str]]:
    """Title spans of the base corpus: warm-up, timed (every system), more (ours' memory).

    `total` counts every query ours is asked after preload, warm-up included. When the
    base has too few titles for that many distinct spans, the list is cycled.
    """
    need = max(total, warmup + timed)
    texts = [q.text for q in title_span_queries(base, need, seed=13)]
    if not texts:
        raise SystemExit(f"no title of {base} has four words: no queries")
    texts = [texts[i % len(texts)] for i in range(need)]
    return {"warmup": texts[:warmup], "timed": texts[warmup : warmup + timed], "more": texts[warmup + timed : total]}


def load_results(path: Path, reuse: bool) -> dict:
    if reuse and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"sizes": {}}


def save_results(path: Path, results: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def run(args: argparse.Namespace) -> dict:
    work = work_dir(args.work)
    full = resolve_corpus(args.corpus, work)
    base = limited_corpus(full, args.limit, work)
    corpora = Corpora(base, work, args.jobs)
    root = corpora.root
    root.mkdir(parents=True, exist_ok=True)
    results_file = root / f"{corpora.key}-results.json"
    results = load_results(results_file, args.reuse)
    results.update(base=str(base), label=corpus_label(full, base), base_articles=len(corpora.files))
    queries_file = root / f"{corpora.key}-queries.json"
    queries = query_sets(base, args.warmup, args.queries, args.memory_queries)
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    results["queries"] = {k: len(v) for k, v in queries.items()}
    results["add"] = args.add
    results["window_starts"] = args.window_starts
    plan = Plan(sizes=args.sizes, baselines_up_to=args.baselines_up_to, add=args.add, window_starts=args.window_starts,
                timeout=args.timeout, queries_file=queries_file, logs=root / "logs", skip=set(args.skip))
    for factor in plan.sizes:
        folder = corpora.folder(factor)
        n = len(corpus_files(folder))
        entry = results["sizes"].setdefault(str(factor), {})
        if entry.get("articles") != n:  # another base or generator: nothing of it can be reused
            entry.clear()
        entry.update(factor=factor, articles=n, folder=str(folder))
        systems = ["ours"] + [k for k in BASELINES if factor <= plan.baselines_up_to]
        for key in systems:
            if key in plan.skip:
                continue
            index = root / "indexes" / f"{corpora.key}-x{factor}" / key
            if key in entry and "error" not in entry[key] and not entry[key].get("errors"):
                if key == "ours" and args.redo_search and index.is_dir():
                    redo_search(entry[key], index, factor, plan)
                    save_results(results_file, results)
                    continue
                log(f"{key} at {factor}×: reusing the results of {results_file.name}")
                continue
            try:
                if key == "ours":
                    entry[key] = measure_ours(folder, index, corpora, factor, plan)
                else:
                    entry[key] = measure_baseline(key, folder, index, factor, plan)
            except (StepFailed, KeyError, subprocess.TimeoutExpired) as e:
                log(str(e))
                entry[key] = {"error": str(e)[:4000]}
            save_results(results_file, results)
    results["run_sizes"] = plan.sizes
    save_results(results_file, results)
    return results


# --------------------------------------------------------------------------- report


def exponent(a: float | None, b: float | None, n_a: int, n_b: int) -> float | None:
    """Growth exponent of a figure from n_a to n_b articles: 1.0 = linear, 0 = flat."""
    if a is None or b is None or a <= 0 or b <= 0 or n_b == n_a:
        return None
    return math.log(b / a) / math.log(n_b / n_a)


def _get(data: dict, *path: str) -> float | None:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data if isinstance(data, (int, float)) else None


# (label, how to read it from a system's results, format) — one row of each table, one figure.
OURS_FIGURES: list[tuple[str, Callable[[dict], float | None], str]] = [
    ("build s", lambda r: _get(r, "build", "wall"), "{:.1f}"),
    ("build CPU s", lambda r: _get(r, "build", "cpu"), "{:.1f}"),
    ("peak RSS MB", lambda r: _mb(_get(r, "build", "peak_rss")), "{:.0f}"),
    ("index MB", lambda r: _mb(_get(r, "size_bytes")), "{:.1f}"),
    ("segments", lambda r: _get(r, "stats", "segments"), "{:.0f}"),
    ("no-change re-run s", lambda r: _get(r, "rerun", "wall"), "{:.1f}"),
    ("add s", lambda r: _get(r, "add", "wall"), "{:.1f}"),
    ("open ms", lambda r: _get(r, "engine", "result", "open_ms"), "{:.0f}"),
    ("window open ms", lambda r: median(r["window_ms"]) if r.get("window_ms") else None, "{:.0f}"),
    ("warm_up s", lambda r: _get(r, "engine", "result", "warm_up_s"), "{:.1f}"),
    ("preload s", lambda r: _get(r, "engine", "result", "preload_s"), "{:.1f}"),
    ("anon MB after preload", lambda r: _get(r, "engine", "result", "anon_mb_preload"), "{:.0f}"),
    ("anon MB after all queries", lambda r: _get(r, "engine", "result", "anon_mb_more"), "{:.0f}"),
    ("engine peak RSS MB", lambda r: _mb(_get(r, "engine", "peak_rss")), "{:.0f}"),
    ("search p50 ms", lambda r: _get(r, "engine", "result", "search", "p50_ms"), "{:.1f}"),
    ("search p95 ms", lambda r: _get(r, "engine", "result", "search", "p95_ms"), "{:.1f}"),
]
BASELINE_FIGURES: list[tuple[str, Callable[[dict], float | None], str]] = [
    ("build s", lambda r: _get(r, "build", "wall"), "{:.1f}"),
    ("build CPU s", lambda r: _get(r, "build", "cpu"), "{:.1f}"),
    ("peak RSS MB", lambda r: _mb(_get(r, "build", "peak_rss")), "{:.0f}"),
    ("index MB", lambda r: _mb(_get(r, "size_bytes")), "{:.1f}"),
    ("search p50 ms", lambda r: _get(r, "search", "result", "search", "p50_ms"), "{:.1f}"),
    ("search p95 ms", lambda r: _get(r, "search", "result", "search", "p95_ms"), "{:.1f}"),
    ("anon MB after queries", lambda r: _get(r, "search", "result", "anon_mb_timed"), "{:.0f}"),
]


def _count(n: object) -> str:
    return f"{n:,}" if isinstance(n, int) else "-"


def _mb(n: float | None) -> float | None:
    return None if n is None else n / 2**20


def _fmt(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def _ours_measured(results: dict, sizes: list[int]):
    """(factor, size entry, ours' results) of each size ours was measured at without an error."""
    for factor in sizes:
        entry = results["sizes"].get(str(factor), {})
        ours = entry.get("ours")
        if ours and "error" not in ours:
            yield factor, entry, ours


def _rows(results: dict, key: str, sizes: list[int]) -> list[tuple[int, int, dict]]:
    out = []
    for factor in sizes:
        entry = results["sizes"].get(str(factor), {})
        if key in entry:
            out.append((factor, entry["articles"], entry[key]))
    return out


def ours_tables(results: dict, sizes: list[int]) -> str:
    rows = _rows(results, "ours", sizes)
    if not rows:
        return "_ours was not measured._"
    q = results.get("queries", {})
    build_rows, search_rows, failed = [], [], []
    for factor, n, r in rows:
        if "error" in r:
            failed.append(f"**ours failed at {factor}×:**\n\n```\n{r['error']}\n```")
            continue
        stats = r.get("stats", {})
        add = r.get("add") or {}
        verify = add.get("verify", {})
        build_rows.append([
            f"{factor}×", f"{n:,}", _count(stats.get("articles")),
            *(_fmt(get(r), f) for _, get, f in OURS_FIGURES[:5]),
            _fmt(n / r["build"]["wall"], "{:,.0f}"),
            _fmt(_get(r, "rerun", "wall"), "{:.1f}"),
            f"{_fmt(_get(add, 'wall'), '{:.1f}')} ({add.get('articles_added', '-')} articles; "
            f"found: {'yes' if verify.get('found') else 'NO'}, index then {_count(verify.get('articles'))})"
            if add else "-",
        ])
        engine = _get_dict(r, "engine", "result")
        search_rows.append([
            f"{factor}×", _count(engine.get("articles")),
            *(_fmt(get(r), f) for _, get, f in OURS_FIGURES[7:]),
            f"{engine.get('with_hits', '-')} / {_get(engine, 'search', 'n') or '-'}",
            str(engine.get("copy_groups", "-")),
        ])
        for step, error in r.get("errors", {}).items():
            failed.append(f"**ours at {factor}×, {step} failed:**\n\n```\n{error}\n```")
    parts = []
    if build_rows:
        parts += ["### ours: building", md_table(
            ["size", "articles (files)", "articles (index stats)", "build s", "build CPU s", "peak RSS MB (process tree)",
             "index MB", "segments", "articles/s", "no-change re-run s", "add new articles: s until searchable"],
            build_rows)]
    if search_rows:
        parts += ["### ours: searching", md_table(
            ["size", "articles", "open ms", "window open ms (median)", "warm_up s", "preload s", "anon MB after preload",
             f"anon MB after {q.get('warmup', 0) + q.get('timed', 0) + q.get('more', 0)} queries",
             "engine peak RSS MB", "p50 ms", "p95 ms", "timed queries with hits", "copy groups"],
            search_rows)]
    return "\n\n".join(parts + failed)


def baseline_table(results: dict, key: str, sizes: list[int]) -> str:
    rows = []
    for factor, n, r in _rows(results, key, sizes):
        if "error" in r:
            rows.append([f"{factor}×", f"{n:,}", f"failed: {r['error'][:300]}"] + ["-"] * (len(BASELINE_FIGURES) - 1))
            continue
        rows.append([f"{factor}×", f"{n:,}", *(_fmt(get(r), f) for _, get, f in BASELINE_FIGURES)])
    if not rows:
        return ""
    return f"### {LABELS[key]}\n\n" + md_table(["size", "articles", *(label for label, _, _ in BASELINE_FIGURES)], rows)


def exponent_table(results: dict, key: str, sizes: list[int], figures) -> str:
    rows = [(f, n, r) for f, n, r in _rows(results, key, sizes) if "error" not in r]
    if len(rows) < 2:
        return ""
    pairs = list(zip(rows, rows[1:]))
    if len(rows) > 2:
        pairs.append((rows[0], rows[-1]))
    head = ["figure"] + [f"{a[0]}× → {b[0]}×" for a, b in pairs]
    body = []
    for label, get, _ in figures:
        cells = []
        for (_, n_a, r_a), (_, n_b, r_b) in pairs:
            e = exponent(get(r_a), get(r_b), n_a, n_b)
            cells.append("-" if e is None else f"{e:.2f}")
        body.append([label, *cells])
    return f"#### growth exponents, {LABELS[key]}\n\n" + md_table(head, body)


def ratio_table(results: dict, sizes: list[int]) -> str:
    rows = []
    for factor, entry, ours in _ours_measured(results, sizes):
        cells = [f"{factor}×"]
        have = False
        for key in BASELINES:
            other = entry.get(key)
            if not other or "error" in other:
                cells += ["-", "-"]
                continue
            have = True
            cells.append(f"{ours['build']['wall'] / other['build']['wall']:.2f}")
            cells.append(f"{ours['size_bytes'] / max(other['size_bytes'], 1):.2f}")
        if have:
            rows.append(cells)
    if not rows:
        return ""
    head = ["size"] + [f"ours / {LABELS[k]}: {what}" for k in BASELINES for what in ("build time", "index size")]
    return "### ours against the baselines\n\n" + md_table(head, rows)


HOW_COPIES = """Size 1× is the base corpus; size k× adds k−1 generated copies of every article \
(`make_copy`, seeded by file name and copy number, generated once into a store and hard-linked into \
each size's folder; each build indexes exactly its own folder). A copy keeps the title line (the base's \
title queries find every copy) and changes what makes two articles different to an index:

- **body sentences shuffled**, and a quarter of them **exchanged for sentences of other articles**: \
shuffling alone keeps most 5-word shingles, and the index folds bodies whose estimated shingle \
similarity reaches 0.65 into one republished story; exchanged sentences put a copy well below \
(exact shingle Jaccard on 400 baomoi articles: median 0.41 to its original, 0.27 between two \
copies; 3% above 0.65, articles of one or two sentences), so a copy is a new article, not a \
republication (the *copy groups* column counts the groups the engine folded);
- **names renamed**: half the name syllables of the article (words the corpus writes capitalised \
inside a sentence at least twice as often as in lower case: Nguyễn, Hà, Trump, not Tổng of Tổng \
thống; never the 63 provinces' names nor Việt Nam, so the province facet and the map count as in \
real news) are replaced, the same way throughout the copy, by a name syllable drawn uniformly \
from the corpus, Vietnamese-shaped for Vietnamese-shaped (Nguyễn → Lương) and foreign for foreign \
(Trump → Samsung): a real archive keeps adding people, places and organisations, mostly as new combinations of known syllables, which is what grows the compound and \
pair vocabulary;
- **numbers redrawn**: every number of three or more digits keeps its first digit and gets the others \
drawn at random (prices, counts, scores, lottery results are new terms, as they are in the news);
- **dated back a year per copy**: copy c writes every year (1950–2039, alone or in a d/m/yyyy date, and a \
`# date =` header) c years earlier, so its dateline and lede dates move back a year per copy and the \
years are new terms. Few baomoi articles state a date the ingest reads (about 1 in 400), so the \
timeline grows little; the shifted years are there either way.

The articles added to a built index (`add`) are made the same way with another seed, dated a year \
later than their originals, hard-linked into the k× folder for that step only."""


def render(results: dict, sizes: list[int], label: str) -> str:
    q = results.get("queries", {})
    counts = ", ".join(f"{f}× = {results['sizes'][str(f)]['articles']:,}" for f in sizes
                       if str(f) in results["sizes"])
    parts = [
        f"## Scale: {sizes[0]}× to {sizes[-1]}× the corpus",
        machine_line(label, f"{results.get('base_articles', 0):,} articles at 1×; sizes {counts}"),
        HOW_COPIES,
        f"Each step runs in a process of its own (peak RSS is that process tree's). Builds are "
        f"`python -m searchapp index FOLDER --index DIR` from the shell's point of view: wall time "
        f"includes start-up, CPU time is the whole process tree's. Searches: {q.get('timed', 0)} title "
        f"spans of the 1× corpus in the three spellings (the same at every size), after "
        f"{q.get('warmup', 0)} untimed ones; ours answers what the window asks (20 hits, snippets, "
        f"facets), the baselines their top {TOP_K}. Ours is asked {q.get('more', 0)} more distinct "
        f"queries after the timed ones, and its anonymous memory (RSS − shared) read again: it must "
        f"not grow with the number of queries. *Window open* is `bench_app.time_startups`: "
        f"`python -m searchapp` started over the index until its first paint (median of "
        f"{results.get('window_starts', '?')} starts).",
        ours_tables(results, sizes),
        redone_note(results, sizes),
        exponent_table(results, "ours", sizes, OURS_FIGURES),
    ]
    for key in BASELINES:
        parts.append(baseline_table(results, key, sizes))
        parts.append(exponent_table(results, key, sizes, BASELINE_FIGURES))
    parts.append(ratio_table(results, sizes))
    parts.append("Growth exponent = log(b/a) / log(n_b/n_a) between two sizes of n_a and n_b articles: "
                 "1.00 is linear, 0 flat, above 1 faster than the corpus grows.")
    return "\n\n".join(p for p in parts if p)


def redone_note(results: dict, sizes: list[int]) -> str:
    """Which sizes' engine figures (preload, memory, searches) come from `--redo-search`."""
    lines = []
    for factor, _, ours in _ours_measured(results, sizes):
        redone = ours.get("engine_redone")
        if not redone:
            continue
        engine = _get_dict(ours, "engine", "result")
        first = _get_dict(ours, "engine_first", "result")
        lines.append(f"{factor}×: measured again {redone['at']} at commit `{redone['commit']}` over the built "
                     f"index, then holding {_count(engine.get('articles'))} articles (with the added ones); "
                     f"the build's own run gave p50 / p95 {_fmt(_get(first, 'search', 'p50_ms'), '{:.1f}')} / "
                     f"{_fmt(_get(first, 'search', 'p95_ms'), '{:.1f}')} ms, preload "
                     f"{_fmt(first.get('preload_s'), '{:.1f} s')}, anonymous "
                     f"{_fmt(first.get('anon_mb_more'), '{:.0f}')} MB after every query.")
    if not lines:
        return ""
    return ("Engine figures (preload, memory, searches) measured again with `--redo-search`, the builds "
            "kept:\n\n" + "\n".join(f"- {line}" for line in lines))


def readme_table(results: dict, sizes: list[int]) -> str:
    """The compact table the README carries: one row per size."""
    rows = []
    for factor, entry, ours in _ours_measured(results, sizes):
        engine = _get_dict(ours, "engine", "result")
        others = [(LABELS[k], entry[k]) for k in BASELINES if k in entry and "error" not in entry[k]]
        build = "; ".join(f"{label} {r['build']['wall']:.0f} s" for label, r in others)
        size = "; ".join(f"{label} {fmt_mb(r['size_bytes'])}" for label, r in others)
        rows.append([
            f"{entry['articles']:,} ({factor}×)",
            f"{ours['build']['wall']:.0f} s" + (f" ({build})" if build else ""),
            fmt_mb(ours["size_bytes"]) + (f" ({size})" if size else ""),
            f"{_fmt(engine.get('anon_mb_preload'), '{:.0f}')} / {_fmt(engine.get('anon_mb_more'), '{:.0f}')}",
            _fmt(_get(engine, "search", "p95_ms"), "{:.0f}"),
            _fmt(engine.get("preload_s"), "{:.0f} s"),
            f"{median(ours['window_ms']):.0f}" if ours.get("window_ms") else "-",
            _fmt(_get(ours, "add", "wall"), "{:.0f} s"),
        ])
    q = results.get("queries", {})
    asked = q.get("warmup", 0) + q.get("timed", 0) + q.get("more", 0)
    return md_table(["articles", "build", "index MB", f"engine anonymous MB after preload / after {asked} queries",
                     "search p95 ms (20 hits, snippets, facets)", "preload", "window open ms",
                     f"add {results.get('add', 0):,} articles"],
                    rows)


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(x) for x in text.split(",") if x.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are whole multiples of the corpus, 1 or more")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="baomoi-35k", help="base corpus: a folder or a shared corpus name")
    parser.add_argument("--sizes", type=parse_sizes, default=[1, 4, 10], help="multiples of the base, e.g. 1,4,10")
    parser.add_argument("--limit", type=int, help="base = N articles spread over the corpus")
    parser.add_argument("--baselines-up-to", type=int, default=4, help="stock Whoosh and FTS5 at sizes up to this")
    parser.add_argument("--queries", type=int, default=200, help="timed queries (every system)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries first (every system)")
    parser.add_argument("--memory-queries", type=int, default=800,
                        help="queries ours is asked in all after preload (warm-up and timed included)")
    parser.add_argument("--add", type=int, default=1000, help="new articles added to each built index")
    parser.add_argument("--window-starts", type=int, default=5, help="window starts timed per size")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes generating copies")
    parser.add_argument("--timeout", type=float, default=4 * 3600.0, help="per step, seconds")
    parser.add_argument("--skip", action="append", default=[], choices=["ours", "stock", "fts5", "window"],
                        help="leave out a system or the window timing (repeatable)")
    parser.add_argument("--reuse", action="store_true", help="take sizes/systems already in the results JSON")
    parser.add_argument("--redo-search", action="store_true",
                        help="with --reuse: run ours' engine step (preload, searches, memory) again over its built index")
    parser.add_argument("--generate-only", action="store_true",
                        help="make (or check) the sizes' folders and the added articles, then stop")
    parser.add_argument("--out", type=Path, help="docs file to update (default docs/benchmarks.md)")
    parser.add_argument("--work", type=Path, help="work folder (default benchmarks/work, or $BENCH_WORK)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--system", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--corpus-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--query", help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        if args.worker == "engine":
            result = worker_engine(args.index_dir, args.queries_file)
        elif args.worker == "verify":
            result = worker_verify(args.index_dir, args.query, args.name)
        elif args.worker == "build":
            result = worker_build(args.system, args.corpus_dir, args.index_dir)
        else:
            result = worker_search(args.system, args.index_dir, args.queries_file)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0

    if args.generate_only:
        work = work_dir(args.work)
        corpora = Corpora(limited_corpus(resolve_corpus(args.corpus, work), args.limit, work), work, args.jobs)
        for factor in args.sizes:
            folder = corpora.folder(factor)
            corpora.extras(factor, args.add)
            print(f"{factor}×: {len(corpus_files(folder)):,} articles in {folder}")
        return 0

    results = run(args)
    text = render(results, args.sizes, results["label"])
    print(text)
    table = readme_table(results, args.sizes)
    print("\nFor the README:\n\n" + table)
    (work_dir(args.work) / "scale" / "readme_table.md").write_text(table + "\n", encoding="utf-8")
    write_section(SECTION, text, args.out)
    failed = [f"{key} at {f}×" for f in args.sizes for key, r in results["sizes"].get(str(f), {}).items()
              if isinstance(r, dict) and ("error" in r or r.get("errors"))]
    if failed:
        log("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

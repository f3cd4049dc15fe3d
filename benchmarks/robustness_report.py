"""Run the robustness tests and write docs/robustness.md from the figures they measure.

    .venv/bin/python benchmarks/robustness_report.py           # run the tests (~2-3 min), write the page
    .venv/bin/python benchmarks/robustness_report.py --again   # rewrite it from the last run's figures

The tests record their figures (files tried, kills survived, queries fuzzed, the
slowest answer, memory growth...) into the JSON file named by
SEARCHAPP_ROBUSTNESS_FIGURES; this script only runs them and lays the numbers out.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, REPO_DIR, machine_info, md_table, work_dir  # noqa: E402

DOC = REPO_DIR / "docs" / "robustness.md"
TESTS = sorted(str(p.relative_to(REPO_DIR)) for p in (REPO_DIR / "tests" / "robustness").glob("test_robustness_*.py"))
FIGURES_ENV = "SEARCHAPP_ROBUSTNESS_FIGURES"


def run_tests(figures: Path) -> dict:
    """Run the robustness tests; their figures plus pytest's outcome."""
    figures.unlink(missing_ok=True)
    env = dict(os.environ, **{FIGURES_ENV: str(figures)})
    env.pop("SEARCHAPP_INDEX", None)
    done = subprocess.run([PYTHON, "-m", "pytest", *TESTS, "-q", "-rf", "-p", "no:cacheprovider"], cwd=REPO_DIR,
                          env=env, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    summary = next((line.strip("= ") for line in reversed(lines) if re.search(r"\d+ (passed|failed)", line)), "")
    out = json.loads(figures.read_text(encoding="utf-8")) if figures.is_file() else {}
    out["outcome"] = summary
    out["failed"] = [line.split()[1] for line in lines if line.startswith("FAILED ")]
    out["machine"] = machine_info()
    figures.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def fig(figures: dict, name: str, default: object = "—") -> object:
    return figures.get(name, default)


def render(figures: dict) -> str:
    m = figures.get("machine") or machine_info()
    kills = fig(figures, "kill_seconds", {})
    memory = fig(figures, "memory_growth_indexing_folder_mb", {})
    concurrent = fig(figures, "concurrent_searches", {})
    fuzzed = sum(int(fig(figures, k, 0)) for k in ("queries_fuzzed_sample_index", "queries_fuzzed_600_index",
                                                      "cli_queries_one_process", "gui_queries"))
    rows = [
        ("Bad files", "files in the generated folder", fig(figures, "bad_files_tried")),
        ("", "readable articles indexed, each found by a word from it", fig(figures, "bad_files_readable_found")),
        ("", "other files reported with path and reason", fig(figures, "bad_files_reported")),
        ("", f"resident memory growth indexing the folder with the {fig(figures, 'huge_file_mb')} MB file",
         f"{memory.get('rss', '—')} MB (limit 30 MB)" if isinstance(memory, dict) else "—"),
        ("", "Python's own peak allocation meanwhile (a 20 MB read buffer, never touched)",
         f"{memory.get('python_peak', '—')} MB" if isinstance(memory, dict) else "—"),
        ("Crashes", f"SIGKILLs survived (large run of {fig(figures, 'kill_corpus_files')} articles, "
                    "commit every 25)", fig(figures, "kills_survived")),
        ("", "articles committed after each kill", fig(figures, "kill_committed_counts")),
        ("", "killed runs / the run that finished the work",
         f"{kills.get('killed_runs', '—')} s / {kills.get('final_run', '—')} s" if isinstance(kills, dict) else "—"),
        ("", "full disk tested on", fig(figures, "disk_full_real_disk")),
        ("", "read-only index folder tested on", fig(figures, "read_only_test")),
        ("", "cancelling a run with worker processes took", f"{fig(figures, 'cancel_parallel_seconds')} s"),
        ("Queries", "fuzzed in all (engine, command line, window)", fuzzed),
        ("", "engine, 5-article index: queries / slowest",
         f"{fig(figures, 'queries_fuzzed_sample_index')} / {fig(figures, 'max_query_seconds_sample_index')} s"),
        ("", "engine, 600-article index: queries / slowest",
         f"{fig(figures, 'queries_fuzzed_600_index')} / {fig(figures, 'max_query_seconds_600_index')} s"),
        ("", "command line, one process: queries / slowest",
         f"{fig(figures, 'cli_queries_one_process')} / {fig(figures, 'cli_max_query_seconds')} s"),
        ("", "window, typed or pasted into the search box: queries / slowest round trip",
         f"{fig(figures, 'gui_queries')} / {fig(figures, 'gui_max_seconds')} s"),
        ("Concurrency", "searches while another process indexed (engine / command line)",
         f"{concurrent.get('engine', '—')} / {concurrent.get('cli', '—')}" if isinstance(concurrent, dict) else "—"),
        ("Security", "package files scanned for shell calls", fig(figures, "shell_scan_files")),
        ("", "network connection attempts (indexing, search, CLI, window)", fig(figures, "network_attempts")),
    ]
    outcome = figures.get("outcome") or "not run"
    failing = "".join(f"\n- `{test}`" for test in figures.get("failed", [])) or "\n- none"
    return f"""# Robustness

What the robustness tests (`tests/robustness/test_robustness_*.py`) do to the app, and what
they measured. Generated by `benchmarks/robustness_report.py`.

*{m['date']} — {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, Python {m['python']}, load average at
start {m['load']} (the machine was shared: times are upper bounds).*

Test run: **{outcome}**. Failing:{failing}

## Figures

{md_table(["Area", "What", "Measured"], rows)}

## What the tests do

- **Bad files** (`test_robustness_files.py`): a generated folder of {fig(figures, 'bad_files_tried')} files — UTF-8
  with and without BOM, UTF-16 LE/BE with and without BOM, Windows-1258, UTF-8 with damaged bytes,
  English, Russian, Chinese and mixed-script text, truncated HTML, HTML nested 5,000 levels deep,
  a web page saved as `.txt`, a folder named `x.txt`; and a PNG, an ELF binary and byte noise named
  as text, an empty and a blank file, a 50 MB text file, a symbolic-link loop, a dangling link, a
  folder loop, a named pipe, a file deleted right after it was listed, one deleted between its
  `stat()` and its reading, and one the run may not read. Tests run as root here, where `chmod 000`
  does not stop a read: that file's `open()` is refused by a patch, as the kernel refuses a normal
  user. Indexing completes, every readable article is found by a word of its own, every other file
  is listed with its path and a short reason, and a second run reports the same files and changes
  nothing. Memory is sampled every 2 ms while the folder is indexed.
- **Crashes** (`test_robustness_crash.py`): an indexing process over 600 articles is killed with
  SIGKILL six times — while scanning, inside a commit (twice) and after a random number of files
  (seeded). After each kill the index opens and holds exactly a prefix of the files grown by whole
  commits, every stored article is complete, a sample of them is found, and `searchapp stats` works.
  The command-line run that follows finishes the work: every file once, every one found, and no
  file of the killed runs left in the index folder. A run with worker processes (fork, as the
  command line starts them; forkserver, as the window does) is killed too: no worker may outlive
  it, and the index is not left "busy". A second instance gets "the index … is being updated by
  another window or process" (exit code 3 on the command line), and after its holder is killed the
  lock file left behind is no obstacle. A full disk (a real 1 MB tmpfs where mounting is allowed;
  else a simulated one) and a disk that fills at four points inside a commit (simulated: Whoosh's
  file writes draw on a byte budget) give "the disk holding the index … is full" and leave the
  index as it was; a read-only index folder (a read-only bind mount; else writes refused with
  EROFS) gives "… is on a read-only disk" and still answers searches.
- **Bad queries** (`test_robustness_queries.py`): hypothesis feeds arbitrary Unicode and
  query-language fragments (quotes, parentheses, operators, known and unknown fields, wildcards,
  control characters, 10,000-character strings) to the engine on the 5 sample articles and on 600
  articles, then a seeded list of such queries to one `searchapp search - --json` process and to the
  real window's search box. Every query is answered without an error within a second; a note about
  a malformed query is at most three short sentences, never a traceback; the window shows it under
  the box.
- **Concurrency** (`test_robustness_concurrency.py`): a second process indexes a folder that grows
  while it runs, committing every 10 files, then indexes again; meanwhile this process searches
  (the engine the window uses) and launches `searchapp search` processes. No answer is an error, a
  count never drops below one already seen, no article is listed twice, every hit opens.
- **Security** (`test_robustness_security.py`): articles whose titles, bodies, file names and site
  names carry `<script>`, `<img src="http://…">`, entities and quotes. The engine's HTML fragments
  hold no markup but its own highlight tags (also a hypothesis property over any text); the command
  line prints the markup as text; the window's result list, reading pane, tooltips and labels show it
  as text and load no resource. No call in the package can reach a shell (an AST scan, itself
  tested). Indexing pages that reference remote resources, searching, the command line and the
  window make no connection attempt (socket-level patch; the same patch catches an HTTP request).

{WHAT_HAPPENS}
"""


WHAT_HAPPENS = """## What happens when…

**…a file cannot be read.** Indexing goes on. The file is listed with the reason: *not a text
file (binary content)*, *empty file*, *file too large (50.0 MB > 20 MB limit)*, *permission
denied*, *file vanished while reading*, *broken link*, *link loop*, *not a regular file* (a pipe or
device), *no article text found in HTML*. `searchapp index` prints the list; the window shows it
behind the "files with errors" button. Text in UTF-8, UTF-16 or Windows-1258, with or without a BOM,
is read as such; a file over 20 MB is refused by its size without being read.

**…an article is not in Vietnamese.** It is indexed like any other and found word by word
(English, Russian, mixed scripts). Chinese or Japanese, written without spaces, is found by the
runs of characters between spaces and punctuation marks, not by single words inside them.

**…indexing is interrupted** (the window closed, the process killed, the power cut while
writing). The index keeps what its last commit held (it commits every few thousand articles) and
opens normally; run `searchapp index` or *Update index* again and it carries on where it stopped,
each article indexed once. A killed run leaves no process and no lock behind.

**…two windows (or a window and the command line) update the same index.** The second one is told
*the index … is being updated by another window or process* (the command line exits with code 3)
and nothing is damaged. Searching is never blocked: searches made while another process indexes
see the articles committed so far.

**…the disk is full or the index folder is read-only.** The update stops with *the disk holding the
index … is full: free some space, then update again* or *the index folder … is on a read-only
disk*; the index stays exactly as it was, and a read-only index can still be searched.

**…a query is malformed.** It is still answered, read in the most likely way, with a short note:
an unbalanced quote or parenthesis is closed at the end, an unknown `field:` is searched as text,
`year:abc` is not a year, a query of only `-excluded` words asks for a word to search for, a query
over 1,000 characters or 64 words is shortened. Very long phrases are matched on their first 24
syllables, and wildcards (`kh*`) share a budget of 800 expanded words, so no query takes more than
a fraction of a second.

**…an article contains HTML or a hostile file name.** Titles, snippets, the reading pane, the
command line and file names show it as text: no markup from an article is ever interpreted, no
image or page it references is loaded, and the app makes no network request at all.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--again", action="store_true", help="do not run the tests: reuse the last figures")
    args = parser.parse_args(argv)
    path = work_dir() / "robustness_figures.json"
    figures = json.loads(path.read_text(encoding="utf-8")) if args.again else run_tests(path)
    DOC.write_text(render(figures), encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO_DIR)}: {figures.get('outcome')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Helpers shared by the benchmark scripts in bench/ (not part of ./dev test).

Builds the foobar-sim CLI natively and for wasm32-wasip1, runs it, and times it. Every
timing here is wall-clock on a shared, noisy machine: the scripts compare speeds measured
in the same run, interleaved, and keep the best of a few rounds.
"""

import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WASM_TARGET = "wasm32-wasip1"
WASI_RUNNER = os.path.join(ROOT, "bench", "wasm", "wasi-run.mjs")


def say(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    """Runs cmd from the project root; on failure shows its output and exits."""
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        say(p.stdout[-4000:] + p.stderr[-4000:])
        sys.exit(f"bench: failed ({p.returncode}): {' '.join(cmd)}")
    return p


def target_dir():
    meta = json.loads(sh(["cargo", "metadata", "--no-deps", "--format-version", "1"]).stdout)
    return meta["target_directory"]


def build_native():
    """The release CLI (the profile SPEC P2 and ../shared/checks/sim-perf use)."""
    sh(["cargo", "build", "--release", "-q", "-p", "foobar-sim", "--bin", "foobar-sim"])
    return os.path.join(target_dir(), "release", "foobar-sim")


def build_wasm():
    """The same CLI compiled to wasm32-wasip1 with the page's profile (`wasm-release`, see
    Cargo.toml and index.html), so the speed measured is the speed the page ships."""
    installed = sh(["rustup", "target", "list", "--installed"]).stdout.split()
    if WASM_TARGET not in installed:
        say(f"installing rust target {WASM_TARGET} (rustup)")
        sh(["rustup", "target", "add", WASM_TARGET])
    sh(["cargo", "build", "--profile", "wasm-release", "-q", "-p", "foobar-sim", "--bin",
        "foobar-sim", "--target", WASM_TARGET])
    return os.path.join(target_dir(), WASM_TARGET, "wasm-release", "foobar-sim.wasm")


def wasm_opt(wasm, level):
    """A copy of `wasm` through `wasm-opt -O<level>`, as Trunk treats the page's wasm
    (data-wasm-opt="z" in index.html); None without wasm-opt."""
    if not shutil.which("wasm-opt"):
        return None
    out = f"{wasm[: -len('.wasm')]}.O{level}.wasm"
    sh(["wasm-opt", f"-O{level}", wasm, "-o", out])
    return out


def gzipped_size(path):
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), 9))


def cli_cmd(binary, args):
    return [binary, "run", *args, "--json"]


# V8 first runs wasm from its baseline compiler (Liftoff) and swaps a function for optimised
# code on its next call once that is ready. A function that is called once and loops for long
# (the CLI's run loop) can stay on baseline code for the whole run, which measures the tiering
# rather than the code. Eager: every function optimised before the timed run, which is the
# speed a page that calls into the core every frame reaches after its first few frames.
V8_EAGER = ["--no-liftoff", "--no-wasm-lazy-compilation"]
V8_TIERING = {"eager": V8_EAGER, "default": []}


def wasm_cmd(wasm, args, tiering="eager"):
    return ["node", "--no-warnings", *V8_TIERING[tiering], WASI_RUNNER, wasm, "run", *args,
            "--json"]


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_cli(binary, args):
    """Runs the native CLI with --json; returns (summary, wall seconds, CPU seconds).
    CPU time leaves out the time spent waiting for a core that other work holds."""
    cpu0, start = children_cpu(), time.perf_counter()
    p = sh(cli_cmd(binary, args))
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu0
    return json.loads(p.stdout), wall, cpu


def run_wasm(wasm, args, tiering="eager"):
    """Runs the CLI's wasm under Node's WASI; returns (summary, wall seconds, CPU seconds)
    of the run itself, without Node's start-up or the first compile, as the runner measures
    them (the CPU time of all Node's threads: V8's optimising compiler too, which `eager`
    tiering runs before the timed run)."""
    p = sh(wasm_cmd(wasm, args, tiering))
    t = dict(kv.split() for kv in p.stderr.strip().splitlines()[-1].split(", "))
    return json.loads(p.stdout), float(t["wall_s"]), float(t["cpu_s"])


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def instructions(cmd):
    """Instructions retired by cmd (user space), by `perf stat`; None without perf."""
    if not shutil.which("perf"):
        return None
    p = subprocess.run(["perf", "stat", "-x,", "-e", "instructions:u", "--", *cmd],
                       cwd=ROOT, capture_output=True, text=True)
    for line in p.stderr.splitlines():
        f = line.split(",")
        if len(f) > 2 and f[2].startswith("instructions") and f[0].isdigit():
            return int(f[0])
    return None


def mega(x):
    return f"{x / 1e6:.2f} M"

"""Helpers shared by the benchmark scripts in bench/ (not part of ./dev test).

Builds the foobar-sim CLI natively and for wasm32-wasip1, runs it, and times it. Every
timing here is wall-clock on a shared, noisy machine: the scripts compare speeds measured
in the same run, interleaved, and keep the best of a few rounds.
"""

import glob
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
    """The release CLI (the profile the hour at 1,000 req/s is measured with)."""
    sh(["cargo", "build", "--release", "-q", "-p", "foobar-sim", "--bin", "foobar-sim"])
    return os.path.join(target_dir(), "release", "foobar-sim")


def host_triple():
    out = sh(["rustc", "-vV"]).stdout
    return next(ln.split(": ", 1)[1] for ln in out.splitlines() if ln.startswith("host: "))


def llvm_profdata():
    """rustc's own llvm-profdata (rustup's llvm-tools component, added here if missing): it
    reads the profiles that rustc's LLVM writes."""
    sysroot = sh(["rustc", "--print", "sysroot"]).stdout.strip()
    tool = os.path.join(sysroot, "lib", "rustlib", host_triple(), "bin", "llvm-profdata")
    if not os.path.exists(tool):
        say("installing llvm-tools (rustup component add llvm-tools), for llvm-profdata")
        sh(["rustup", "component", "add", "llvm-tools"])
    return tool


# What the profile-guided build learns from: every shipped scenario for a simulated minute,
# and the three-server world at 1,000 req/s (the hour benchmark's load). Not a benchmark's own run.
PGO_TRAINING_S = "60"


def build_native_pgo():
    """The release CLI built with profile-guided optimisation (PGO): the same source and
    profile as `build_native`, compiled once with counters, run on the training set above,
    and compiled again with what the counters saw (which branches are taken, which calls are
    hot). Its own target directories under <target>/pgo; the target triple is given so that
    build scripts and proc macros are built without the flags."""
    triple = host_triple()
    base = os.path.join(target_dir(), "pgo")
    profiles = os.path.join(base, "profiles")
    shutil.rmtree(profiles, ignore_errors=True)
    os.makedirs(profiles)
    build = ["cargo", "build", "--release", "-q", "-p", "foobar-sim", "--bin", "foobar-sim",
             "--target", triple]
    say("building the CLI with profile counters (PGO, 1/2)")
    sh(build, env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(base, "gen"),
                       RUSTFLAGS=f"-Cprofile-generate={profiles}"))
    gen = os.path.join(base, "gen", triple, "release", "foobar-sim")
    runs = [[s, "--duration", PGO_TRAINING_S]
            for s in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.json")))]
    runs.append(["scenarios/three-server.json", "--rate", "1000", "--duration",
                 PGO_TRAINING_S])
    for args in runs:
        sh(cli_cmd(gen, args))
    merged = os.path.join(base, "merged.profdata")
    sh([llvm_profdata(), "merge", "-o", merged, profiles])
    say("building the CLI from the profile (PGO, 2/2)")
    sh(build, env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(base, "use"),
                       RUSTFLAGS=f"-Cprofile-use={merged}"))
    return os.path.join(base, "use", triple, "release", "foobar-sim")


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

"""The M/M/c model of scenarios/mmc.json, written in SimPy 4.1.2 (the speed comparison).

One backend with c workers, Poisson arrivals, exponential service, no network or database
time: the same queue that `foobar-sim run scenarios/mmc.json` simulates. Prints one JSON
object: the simulated requests that finished, SimPy's events, the wall-clock and CPU seconds
of the run, and the mean wait for a worker.

    python mmc.py --rate 320 --workers 4 --service-ms 10 --duration 600 --seed 1
"""

import argparse
import json
import random
import time

import simpy


def customer(env, workers, service_s, rng, stats):
    arrived = env.now
    with workers.request() as req:
        yield req
        stats["wait_s"] += env.now - arrived
        stats["waits"] += 1
        yield env.timeout(rng.expovariate(1.0 / service_s))
    stats["done"] += 1


def arrivals(env, rate, workers, service_s, rng, stats):
    while True:
        yield env.timeout(rng.expovariate(rate))
        env.process(customer(env, workers, service_s, rng, stats))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rate", type=float, required=True, help="arrivals per second")
    p.add_argument("--workers", type=int, required=True, help="c, the app's workers")
    p.add_argument("--service-ms", type=float, required=True, help="mean service time")
    p.add_argument("--duration", type=float, required=True, help="simulated seconds")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    rng = random.Random(a.seed)
    stats = {"wait_s": 0.0, "waits": 0, "done": 0}
    env = simpy.Environment()
    workers = simpy.Resource(env, capacity=a.workers)
    env.process(arrivals(env, a.rate, workers, a.service_ms / 1000.0, rng, stats))
    start, cpu0 = time.perf_counter(), time.process_time()
    env.run(until=a.duration)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    # Every event SimPy scheduled took an id from this counter; those still queued never ran.
    events = next(env._eid) - len(env._queue)
    print(json.dumps({
        "simpy": simpy.__version__,
        "requests": stats["done"],
        "events": events,
        "wall_s": wall,
        "cpu_s": cpu,
        "queue_wait_ms_mean": 1000.0 * stats["wait_s"] / max(stats["waits"], 1),
    }))


if __name__ == "__main__":
    main()

"""How close `check-links` comes to the fastest its concurrency limits allow.

A server in a child process (so it does not compete with the checker for the
GIL) answers every request after 50 ms, on 127.0.0.1 ... 127.0.0.N: all
loopback on Linux, nothing leaves the machine. The per-host limit counts host
names, so spreading the links over N hosts lets the global limit, not the
per-host one, be what bounds the run (N x per-host >= concurrency).

  checker     Checker(concurrency=16, per_host=4).run() over 1,000 links, best
              of 3 rounds (the machine's other work only ever adds time)
  ideal       links / concurrency x 50 ms: every slot busy all the time
  bare httpx  the same requests through AsyncClient and one semaphore only,
              to tell the checker's own cost from httpx's (run in the same
              process, so with the same sniffio shortcut, see linkcheck.py)
  sequential  a plain httpx.Client HEAD loop over a sample (50 links),
              extrapolated to all the links

Reports checker / ideal (goal <= 1.3), the speed-up over the sequential loop,
and the most requests the server ever saw in flight, overall and per host.

    python benchmarks/linkcheck.py [--links 1000] [--concurrency 16] [--per-host 4]
                                   [--hosts 8] [--delay 0.05] [--sample 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL = 1.3
MAX_LINKS = 20_000  # the request loops stay bounded whatever is asked


def serve(hosts: list[str], delay: float, conn) -> None:
    """The child process: a keep-alive HTTP/1.1 server on each host that answers after `delay`."""

    in_flight: dict[str, int] = {}
    peak: dict[str, int] = {}
    total = [0, 0]  # now, most

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method = head.split(b" ", 1)[0]
                in_flight[host] = in_flight.get(host, 0) + 1
                peak[host] = max(peak.get(host, 0), in_flight[host])
                total[0] += 1
                total[1] = max(total[1], total[0])
                try:
                    await asyncio.sleep(delay)
                finally:
                    in_flight[host] -= 1
                    total[0] -= 1
                body = b"" if method == b"HEAD" else b"ok\n"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, host, 0, backlog=1024) for host in hosts]
        conn.send([f"{host}:{srv.sockets[0].getsockname()[1]}" for host, srv in zip(hosts, servers, strict=True)])
        # Wait for the parent to ask for the counts, then stop.
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        conn.send({"per_host": max(peak.values(), default=0), "overall": total[1]})

    asyncio.run(main())


async def _bare_httpx(urls: list[str], concurrency: int) -> None:
    import httpx

    slots = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=15) as client:

        async def one(url: str) -> None:
            async with slots:
                await client.head(url)

        await asyncio.gather(*(one(url) for url in urls))


def bare_httpx(urls: list[str], concurrency: int) -> float:
    """The same requests with nothing but httpx and one semaphore: what httpx alone costs here."""
    started = time.perf_counter()
    asyncio.run(_bare_httpx(urls, concurrency))
    return time.perf_counter() - started


def sequential(urls: list[str]) -> float:
    import httpx

    started = time.perf_counter()
    with httpx.Client(timeout=15) as client:
        for url in urls:
            client.head(url)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--hosts", type=int, default=8, help="loopback addresses 127.0.0.1 ... 127.0.0.N (max 250)")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds the server takes to answer")
    parser.add_argument("--sample", type=int, default=50, help="links in the sequential loop")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of the checker; the best one is compared")
    args = parser.parse_args()
    links = max(1, min(args.links, MAX_LINKS))
    hosts = [f"127.0.0.{i}" for i in range(1, max(1, min(args.hosts, 250)) + 1)]

    from walkthrough.linkcheck.checker import Checker

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(hosts, args.delay, child), daemon=True)
    server.start()
    try:
        origins = parent.recv()
        urls = [f"http://{origins[i % len(origins)]}/page/{i}" for i in range(links)]

        times, cpu, bare, outcomes = [], [], [], set()
        for round_ in range(max(1, args.rounds)):
            # Fresh addresses each round: nothing can be remembered between rounds.
            batch = [f"{url}?round={round_}" for url in urls]
            started, cpu_started = time.perf_counter(), time.process_time()
            results = Checker(concurrency=args.concurrency, per_host=args.per_host, timeout=15).run(batch)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            outcomes |= {r.outcome for r in results.values()}
            bare.append(bare_httpx([f"{url}&bare" for url in batch], args.concurrency))

        sample = urls[: max(1, min(args.sample, links))]
        seq = sequential(sample) * links / len(sample)

        parent.send("counts")
        seen = parent.recv()
    finally:
        server.join(timeout=5)
        if server.is_alive():
            server.terminate()

    slots = min(args.concurrency, args.per_host * len(hosts))
    best = links / slots * args.delay
    took, median = min(times), statistics.median(times)
    ratio = took / best
    print(f"links {links} over {len(hosts)} hosts, server delay {args.delay * 1000:.0f} ms, {len(times)} rounds")
    print(f"limits: concurrency {args.concurrency}, per host {args.per_host} (usable slots {slots})")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work skews wall times)")
    print(f"checker     {took:6.2f} s   best round; median {median:.2f} s; outcomes: {', '.join(sorted(outcomes))}")
    print(f"            {min(cpu):6.2f} s   of CPU in the checker's process (best round)")
    print(f"bare httpx  {min(bare):6.2f} s   AsyncClient + one semaphore, same requests (best round)")
    print(f"ideal       {best:6.2f} s   ({links} / {slots} x {args.delay * 1000:.0f} ms)")
    print(f"sequential  {seq:6.2f} s   ({len(sample)} links measured, extrapolated to {links})")
    print(f"peak in flight at the server: {seen['overall']} overall, {seen['per_host']} on one host")
    print(
        f"ratio checker / ideal = {ratio:.2f} best, {median / best:.2f} median (goal <= {GOAL}); "
        f"{seq / took:.1f}x faster than sequential"
    )
    print(f"checker / bare httpx = {took / min(bare):.2f}: what the limits, retries and checks add")
    ok = ratio <= GOAL and outcomes == {"ok"} and seen["per_host"] <= args.per_host
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

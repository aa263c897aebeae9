"""Load test: the portal under gunicorn on PostgreSQL, browsed by N users.

    .venv/bin/python loadtest/run.py --database-url postgres://…/portal_load \
        [--prepare --households 60000] [--users 20] [--duration 120] \
        [--think 1-3] [--port 8790] [--output loadtest/results/run.json]

1. ``--prepare`` (re)creates the scratch database — its name must contain
   ``load`` or ``scratch``, because it is dropped — migrates it, creates the
   demo personas, ``generate_demo --households N``, ``evaluate_rules`` and
   one extra township staff member (``add_user``) for each of twelve more
   townships.
2. Starts gunicorn with the production configuration (deploy/gunicorn.conf.py,
   ``DEBUG=False``, collected static files, ``CONN_MAX_AGE=60``) bound to
   127.0.0.1 only, as nginx would reach it (``X-Forwarded-Proto: https``).
3. Warms the workers up (unmeasured), signs every user in through the real
   login form (CSRF token, password check; staggered over ``--ramp-up``
   seconds, measured as ``login``), then all of them browse at once for
   ``--duration`` seconds — dashboard,
   household list pages and filters, searches (name, full ID number, last
   six digits, household number), household details, the case queue's tabs
   and case details — following the links the pages it received contain,
   with a random think time between pages.  Staff users belong to 14
   different townships; the rest are section chiefs and the admin.
4. Stops gunicorn and prints per page type: requests, errors (anything but
   a 200, or a failed connection), p50/p95/p99/max in milliseconds.

Bounded: at most 600 s and 50,000 requests, a 30 s timeout per request,
loopback addresses only.  The standard library is the only HTTP client.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import ipaddress
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
MAX_DURATION = 600
APP_NAME = "portal-loadtest"
PRIORITY = -10  # nice value with --priority
MAX_REQUESTS = 50_000
TIMEOUT = 30
PAGE_SIZE = 30  # the household list's page size (households/views.py)
# Townships of the extra staff users (阿城镇 and 七级镇 have the personas).
EXTRA_TOWNSHIPS = [
    "博济桥街道",
    "侨润街道",
    "狮子楼街道",
    "阎楼镇",
    "安乐镇",
    "定水镇",
    "石佛镇",
    "李台镇",
    "寿张镇",
    "十五里园镇",
    "张秋镇",
    "郭店屯镇",
]
# What a user does next, and how often (weights).
ACTIONS = {
    "dashboard": 10,
    "household_list": 20,
    "household_search": 20,
    "household_detail": 25,
    "case_queue": 15,
    "case_detail": 10,
}
STAFF_TABS = ["todo", "due_soon", "overdue", "submitted", "all"]
CHIEF_TABS = ["submitted", "overdue", "todo", "all"]
HOUSEHOLD_LINK = re.compile(r'href="/households/(\d+)/"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# The users ----------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    username: str
    role: str  # township_staff, section_chief, bureau_admin
    township: str | None = None


def personas(count: int) -> list[Persona]:
    """``count`` users: 14 township staff of 14 townships, 4 chiefs, 2 admins."""
    staff = [Persona("staff_acheng", "township_staff", "阿城镇")]
    staff.append(Persona("staff_qiji", "township_staff", "七级镇"))
    staff += [
        Persona(f"load_staff_{n:02d}", "township_staff", township)
        for n, township in enumerate(EXTRA_TOWNSHIPS, start=1)
    ]
    others = [
        Persona("chief_assistance", "section_chief"),
        Persona("chief_affairs", "section_chief"),
        Persona("admin", "bureau_admin"),
        Persona("chief_elderly", "section_chief"),
        Persona("chief_assistance", "section_chief"),
        Persona("admin", "bureau_admin"),
    ]
    mix = staff + others
    return [mix[i % len(mix)] for i in range(count)]


# Preparation --------------------------------------------------------------


def _django_env(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, **extra}


def _manage(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} 失败：\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def prepare(database_url: str, *, households: int, password: str) -> dict:
    """Recreate the scratch database with demo data; return the timings."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(database_url)
    name = unquote(parts.path.lstrip("/"))
    if not re.search(r"load|scratch", name):
        raise SystemExit(
            f"拒绝重建数据库“{name}”：--prepare 会删除它，名称须含 load 或 scratch"
        )
    admin = psycopg2.connect(
        parts._replace(scheme="postgresql", path="/postgres").geturl()
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    env = _django_env(database_url)
    timings = {"migrate": _manage(["migrate", "--noinput"], env)}
    timings["demo_users"] = _manage(["demo_users"], env)
    timings["generate_demo"] = _manage(
        ["generate_demo", "--households", str(households), "--seed", "2020"], env
    )
    timings["evaluate_rules"] = _manage(["evaluate_rules"], env)
    # Fresh tables have no planner statistics; a live database has them
    # (autovacuum), so measure that.
    started = time.perf_counter()
    conn = psycopg2.connect(parts._replace(scheme="postgresql").geturl())
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    conn.close()
    timings["vacuum_analyze"] = time.perf_counter() - started
    started = time.perf_counter()
    for persona in personas(20):
        if persona.username.startswith("load_staff_"):
            _manage(
                [
                    "add_user",
                    persona.username,
                    "--role",
                    "township_staff",
                    "--township",
                    persona.township,
                    "--password",
                    password,
                ],
                env,
            )
    timings["add_user"] = time.perf_counter() - started
    for step, seconds in timings.items():
        say(f"  准备 {step}: {seconds:.1f} s")
    return timings


@dataclass
class SearchTerms:
    """Real names, ID numbers and household numbers, per township name."""

    by_township: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    county: list[tuple[str, str, str]] = field(default_factory=list)
    households: dict[str, int] = field(default_factory=dict)
    total_households: int = 0


def search_terms(database_url: str) -> SearchTerms:
    """A deterministic sample of what people search for, from the database."""
    import psycopg2

    conn = psycopg2.connect(
        urlsplit(database_url)._replace(scheme="postgresql").geturl()
    )
    terms = SearchTerms()
    with conn, conn.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.name, m.name, m.id_number, h.household_no
            FROM households_member m
            JOIN households_household h ON h.id = m.household_id
            JOIN households_township t ON t.id = h.township_id
            WHERE NOT m.removed AND NOT h.removed
            ORDER BY md5(m.id::text) LIMIT 20000
            """
        )
        for township, *row in cursor:
            terms.by_township.setdefault(township, []).append(tuple(row))
            terms.county.append(tuple(row))
        cursor.execute(
            """
            SELECT t.name, count(*) FROM households_household h
            JOIN households_township t ON t.id = h.township_id
            WHERE NOT h.removed GROUP BY t.name
            """
        )
        terms.households = dict(cursor.fetchall())
        terms.total_households = sum(terms.households.values())
    conn.close()
    return terms


# The server ---------------------------------------------------------------


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_server(database_url: str, port: int, workdir: Path) -> subprocess.Popen:
    if not _port_free(port):
        # Never measure (or load) somebody else's server by mistake.
        raise SystemExit(f"端口 {port} 已被占用，请用 --port 换一个空闲端口")
    env = _django_env(
        database_url,
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        PGAPPNAME=APP_NAME,  # libpq: lets server_cpu find the backends
    )
    _manage(["collectstatic", "--noinput"], env)
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [GUNICORN, "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn 启动失败，见 {workdir / 'gunicorn.log'}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn 60 秒内未就绪")


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def server_cpu(server: subprocess.Popen, database_url: str) -> dict[int, float]:
    """CPU seconds so far of gunicorn (master, workers) and its database
    backends (found by the application name the server connects with)."""
    import psycopg2

    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    conn = psycopg2.connect(
        urlsplit(database_url)._replace(scheme="postgresql").geturl()
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
            [APP_NAME],
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    conn.close()
    return {pid: _cpu_seconds(pid) for pid in pids} | {
        -pid: _cpu_seconds(pid) for pid in backends
    }


def cpu_used(before: dict[int, float], after: dict[int, float]) -> tuple[float, float]:
    """(application, database) CPU seconds between two snapshots."""
    app = sum(v - before.get(k, 0.0) for k, v in after.items() if k > 0)
    database = sum(v - before.get(k, 0.0) for k, v in after.items() if k < 0)
    return app, database


class Prioritizer(threading.Thread):
    """Keeps the server's processes at a raised CPU priority (root only).

    On a machine shared with other work the portal's latency measures the
    neighbours as much as the portal; ``--priority`` gives gunicorn, its
    database backends and this load generator the CPU first, as on a
    dedicated server.  New backends are picked up every second.
    """

    def __init__(self, server: subprocess.Popen, database_url: str, nice: int):
        super().__init__(daemon=True)
        self.server, self.database_url, self.nice = server, database_url, nice
        self.done = threading.Event()

    def run(self) -> None:
        # gunicorn and this program inherit the priority from main(); the
        # database backends are the postmaster's children.
        while not self.done.is_set():
            for key in server_cpu(self.server, self.database_url):
                if key < 0:
                    with contextlib.suppress(OSError):  # gone meanwhile
                        os.setpriority(os.PRIO_PROCESS, -key, self.nice)
            self.done.wait(1.0)


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# The users' sessions -------------------------------------------------------


@dataclass
class Sample:
    page: str
    status: int  # 0: no response
    ms: float


class Budget:
    """The shared request cap and deadline."""

    def __init__(self, *, duration: float, max_requests: int):
        self.deadline = time.monotonic() + duration
        self.left = max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


class Session:
    """One user's browser: cookies, the links seen, timed requests."""

    def __init__(self, host: str, port: int, samples: list[Sample], lock):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.samples, self.lock = samples, lock
        self.households: list[int] = []
        self.cases: list[int] = []

    def request(self, page: str, method: str, path: str, body: str | None = None):
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",  # as nginx, which terminates TLS
            "X-Forwarded-For": "127.0.0.1",
            "Accept-Language": "zh-CN",
            "Connection": "close",  # nginx talks HTTP/1.0 to the upstream
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}:{self.port}"
            headers["Referer"] = f"https://{self.host}:{self.port}/login/"
        started = time.perf_counter()
        status, text = 0, ""
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
        ms = (time.perf_counter() - started) * 1000
        with self.lock:
            self.samples.append(Sample(page, status, ms))
        return status, text

    def login(self, username: str, password: str) -> bool:
        status, text = self.request("login_form", "GET", "/login/")
        match = CSRF_INPUT.search(text)
        if status != 200 or not match:
            return False
        body = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": username,
                "password": password,
            }
        )
        status, _ = self.request("login", "POST", "/login/", body)
        return status == 302 and "sessionid" in self.cookies

    def remember(self, text: str) -> None:
        found = [int(n) for n in HOUSEHOLD_LINK.findall(text)]
        if found:
            self.households = (self.households + found)[-200:]
        found = [int(n) for n in CASE_LINK.findall(text)]
        if found:
            self.cases = (self.cases + found)[-200:]


def sign_in(
    users: list[Persona],
    *,
    host: str,
    port: int,
    samples: list[Sample],
    lock,
    password: str,
    ramp_up: float,
) -> list[tuple[Persona, Session]]:
    """Every user signs in through the form, staggered over ``ramp_up`` s."""
    signed_in: list[tuple[Persona, Session]] = []

    def one(persona: Persona, session: Session) -> None:
        if session.login(persona.username, password):
            with lock:
                signed_in.append((persona, session))

    threads = [
        threading.Thread(
            target=one, args=(p, Session(host, port, samples, lock)), daemon=True
        )
        for p in users
    ]
    for number, thread in enumerate(threads):
        if number:
            time.sleep(ramp_up / len(threads))
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 3)
    return signed_in


def browse(
    persona: Persona,
    *,
    session: Session,
    budget: Budget,
    terms: SearchTerms,
    think: tuple[float, float],
    rng: random.Random,
) -> None:
    staff = persona.role == "township_staff"
    mine = terms.by_township.get(persona.township, []) if staff else terms.county
    households = (
        terms.households.get(persona.township, 0) if staff else terms.total_households
    )
    pages = max(1, households // PAGE_SIZE)
    tabs = STAFF_TABS if staff else CHIEF_TABS
    actions, weights = zip(*ACTIONS.items(), strict=True)
    # Users do not all click at the same instant.
    time.sleep(rng.uniform(0, think[1]))
    while budget.take():
        action = rng.choices(actions, weights)[0]
        if action == "household_detail" and not session.households:
            action = "household_list"
        if action == "case_detail" and not session.cases:
            action = "case_queue"
        if action == "dashboard":
            path = "/"
        elif action == "household_list":
            # Mostly the first pages; sometimes a jump far back (the
            # pagination's last-page link).
            deep = rng.random() < 0.2
            query = {"page": rng.randint(1, pages if deep else min(pages, 5))}
            if rng.random() < 0.3:
                query = {"poverty_type": rng.choice(["general", "dibao", "tekun"])}
            path = "/households/?" + urlencode(query)
        elif action == "household_search":
            name, id_number, household_no = rng.choice(mine)
            term = rng.choices(
                [name, id_number, id_number[-6:], household_no], [50, 20, 20, 10]
            )[0]
            path = "/households/?" + urlencode({"q": term})
        elif action == "household_detail":
            path = f"/households/{rng.choice(session.households)}/"
        elif action == "case_queue":
            path = "/cases/?" + urlencode({"tab": rng.choice(tabs)})
        else:
            path = f"/cases/{rng.choice(session.cases)}/"
        status, text = session.request(action, "GET", path)
        if status == 200:
            session.remember(text)
        time.sleep(rng.uniform(*think))


def run_users(
    signed_in: list[tuple[Persona, Session]],
    *,
    budget: Budget,
    terms: SearchTerms,
    think: tuple[float, float],
    seed: int,
) -> None:
    threads = [
        threading.Thread(
            target=browse,
            args=(persona,),
            kwargs={
                "session": session,
                "budget": budget,
                "terms": terms,
                "think": think,
                "rng": random.Random(seed * 1000 + number),
            },
            daemon=True,
        )
        for number, (persona, session) in enumerate(signed_in)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=MAX_DURATION + TIMEOUT + 30)


def warm(args, terms: SearchTerms, *, password: str) -> None:
    """Unmeasured: each gunicorn worker imports, compiles templates and
    opens its database connection on its first requests."""
    ignored: list[Sample] = []
    lock = threading.Lock()
    signed_in = sign_in(
        personas(min(args.users, 6)),
        host=args.host,
        port=args.port,
        samples=ignored,
        lock=lock,
        password=password,
        ramp_up=0,
    )
    budget = Budget(duration=args.warmup, max_requests=MAX_REQUESTS)
    run_users(signed_in, budget=budget, terms=terms, think=(0.0, 0.0), seed=-1)
    say(f"预热 {args.warmup:g} 秒：{len(ignored)} 个请求（不计入结果）")


# Figures ------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    rank = max(1, int(-(-share * len(values) // 1)))
    return values[min(rank, len(values)) - 1]


def summarize(samples: list[Sample], seconds: float) -> dict[str, dict]:
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_page[sample.page].append(sample)
        if sample.page not in ("login", "login_form"):
            by_page["所有页面（不含登录）"].append(sample)
    figures = {}
    for page, items in sorted(by_page.items()):
        times = sorted(s.ms for s in items)
        ok = 302 if page == "login" else 200
        figures[page] = {
            "requests": len(items),
            "errors": sum(1 for s in items if s.status != ok),
            "p50": statistics.median(times),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": times[-1],
            "per_second": len(items) / seconds,
        }
    return figures


def table(figures: dict[str, dict]) -> str:
    lines = [
        "| 页面类型 | 请求数 | 错误 | p50 ms | p95 ms | p99 ms | 最大 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page, f in figures.items():
        lines.append(
            f"| {page} | {f['requests']:,} | {f['errors']} | {f['p50']:.0f} | "
            f"{f['p95']:.0f} | {f['p99']:.0f} | {f['max']:.0f} |"
        )
    return "\n".join(lines)


# Main ---------------------------------------------------------------------


def _loopback(host: str) -> bool:
    try:
        return all(
            ipaddress.ip_address(info[4][0]).is_loopback
            for info in socket.getaddrinfo(host, None)
        )
    except (OSError, ValueError):
        return False


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    low_s, high_s = float(low), float(high or low)
    if not 0 <= low_s <= high_s <= 60:
        raise argparse.ArgumentTypeError("think time: 0 … 60 s, e.g. 1-3")
    return low_s, high_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="门户负载测试（仅限本机回环地址）")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--households", type=int, default=60_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--think", type=_think, default=(1.0, 3.0))
    parser.add_argument("--ramp-up", type=float, default=10, help="登录错开的秒数")
    parser.add_argument(
        "--warmup", type=float, default=15, help="正式计时前的预热秒数（不计入结果）"
    )
    parser.add_argument(
        "--priority",
        action="store_true",
        help="把服务器进程（gunicorn 及其数据库连接）和本程序的 CPU 优先级提高到 -10（需 root）",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if not _loopback(args.host):
        parser.error("只允许对本机回环地址（127.0.0.1、::1）做负载测试")
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration 须在 0 到 {MAX_DURATION} 秒之间")
    if not 0 < args.max_requests <= MAX_REQUESTS:
        parser.error(f"--max-requests 须在 1 到 {MAX_REQUESTS} 之间")
    if not 0 < args.users <= 100:
        parser.error("--users 须在 1 到 100 之间")

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.demo import DEMO_PASSWORD

    preparation = {}
    if args.prepare:
        say(f"准备数据库：{args.households:,} 户演示数据")
        preparation = prepare(
            args.database_url, households=args.households, password=DEMO_PASSWORD
        )
    terms = search_terms(args.database_url)
    say(f"数据库中共 {terms.total_households:,} 户")
    if args.priority:
        # Before any thread or child exists: on Linux each thread has its
        # own priority, inherited by the threads and processes it starts.
        os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)
    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    server = start_server(args.database_url, args.port, workdir)
    samples: list[Sample] = []
    lock = threading.Lock()
    users = personas(args.users)
    prioritizer = None
    try:
        if args.priority:
            prioritizer = Prioritizer(server, args.database_url, PRIORITY)
            prioritizer.start()
        if args.warmup:
            warm(args, terms, password=DEMO_PASSWORD)
        load_before = os.getloadavg()
        signed_in = sign_in(
            users,
            host=args.host,
            port=args.port,
            samples=samples,
            lock=lock,
            password=DEMO_PASSWORD,
            ramp_up=args.ramp_up,
        )
        say(
            f"{len(signed_in)}/{len(users)} 个用户已登录，开始浏览 {args.duration:g} 秒"
        )
        budget = Budget(duration=args.duration, max_requests=args.max_requests)
        cpu_before = server_cpu(server, args.database_url)
        started = time.monotonic()
        run_users(
            signed_in, budget=budget, terms=terms, think=args.think, seed=args.seed
        )
        elapsed = time.monotonic() - started
        app_cpu, db_cpu = cpu_used(cpu_before, server_cpu(server, args.database_url))
        load_after = os.getloadavg()
    finally:
        if prioritizer is not None:
            prioritizer.done.set()
        stop_server(server)
    figures = summarize(samples, elapsed)
    pages_served = sum(1 for s in samples if s.page not in ("login", "login_form"))
    say(
        f"\n{len(users)} 个用户，{elapsed:.0f} 秒，思考时间 {args.think[0]:g}–{args.think[1]:g} 秒，"
        f"浏览 {pages_served:,} 个页面（{pages_served / elapsed:.1f} 次/秒）；"
        f"本机负载（1 分钟平均）开始 {load_before[0]:.1f}，结束 {load_after[0]:.1f}\n"
    )
    say(table(figures))
    per_page = (app_cpu + db_cpu) / max(1, pages_served) * 1000
    say(
        f"\n服务器 CPU（浏览阶段）：gunicorn {app_cpu:.1f} 秒 + PostgreSQL {db_cpu:.1f} 秒，"
        f"每个页面 {per_page:.0f} ms；"
        f"折合 {(app_cpu + db_cpu) / elapsed:.2f} 个 CPU 核（本机 {os.cpu_count()} 核）"
    )
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(
            json.dumps(
                {
                    "date": datetime.datetime.now().astimezone().isoformat(),
                    "households": terms.total_households,
                    "users": [p.username for p in users],
                    "duration_s": elapsed,
                    "think_s": args.think,
                    "preparation_s": preparation,
                    "load_average": {"before": load_before, "after": load_after},
                    "server_cpu_s": {"gunicorn": app_cpu, "postgresql": db_cpu},
                    "server_cpu_ms_per_page": per_page,
                    "priority": args.priority,
                    "pages": figures,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    pages = figures.get("所有页面（不含登录）", {})
    failed = sum(f["errors"] for f in figures.values())
    return 1 if failed or pages.get("p95", 0) >= 300 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# CreditDesk build script. Usage: ./build.sh run | test | build | help
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

DATA_DIR="$ROOT/.data"
RUN_PG_DIR="$DATA_DIR/pg"
RUN_PG_PORT="${CREDITDESK_PG_PORT:-5433}"
APP_URL="${CREDITDESK_URL:-http://127.0.0.1:5080}"
CONFIGURATION="${CONFIGURATION:-Debug}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- PostgreSQL helpers

pg_bindir() {
  local candidate
  for candidate in "${CREDITDESK_PG_BIN:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin /usr/lib/postgresql/17/bin; do
    if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
      echo "$candidate"; return 0
    fi
  done
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return 0
  fi
  return 1
}

require_pg() {
  PG_BIN="$(pg_bindir)" || die "PostgreSQL server binaries (initdb, pg_ctl) were not found: install PostgreSQL 15 (apt-get install -y postgresql-15), or run 'docker-compose up' and set ConnectionStrings__CreditDesk to that database."
}

# Runs a PostgreSQL binary as the cluster owner: the 'postgres' user when we are root (initdb refuses root).
as_pg_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

prepare_owned_dir() {
  local dir="$1"
  mkdir -p "$dir"
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
  fi
}

# A postmaster.pid whose process is gone (or is not a postgres) is left over from a crash or a reboot.
remove_stale_pid() {
  local dir="$1" pid
  [[ -f "$dir/postmaster.pid" ]] || return 0
  pid="$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)"
  if [[ -n "$pid" && -r "/proc/$pid/comm" ]] && grep -qE '^(postgres|postmaster)$' "/proc/$pid/comm"; then
    return 0
  fi
  say "Removing stale postmaster.pid (PID ${pid:-?} is not running)"
  rm -f "$dir/postmaster.pid"
}

pg_running() { as_pg_owner "$PG_BIN/pg_ctl" status -D "$1" >/dev/null 2>&1; }

# start_cluster DIR PORT AUTH [extra postgres options]
start_cluster() {
  local dir="$1" port="$2" auth="$3" options="${4:-}"
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    prepare_owned_dir "$dir"
    local initdb_args=(-D "$dir" -U postgres -E UTF8 --locale=C.UTF-8 --no-instructions)
    if [[ "$auth" == "password" ]]; then
      local pwfile
      pwfile="$(mktemp)"
      cat "$DATA_DIR/pg.password" >"$pwfile"
      chmod 644 "$pwfile"
      initdb_args+=(--auth-local=scram-sha-256 --auth-host=scram-sha-256 --pwfile="$pwfile")
      as_pg_owner "$PG_BIN/initdb" "${initdb_args[@]}" >/dev/null
      rm -f "$pwfile"
    else
      initdb_args+=(--auth=trust)
      as_pg_owner "$PG_BIN/initdb" "${initdb_args[@]}" >/dev/null
    fi
  fi
  remove_stale_pid "$dir"
  if pg_running "$dir"; then
    return 0
  fi
  as_pg_owner "$PG_BIN/pg_ctl" start -w -t 60 -D "$dir" -l "$dir/server.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c max_connections=300 $options" >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start (log: $dir/server.log)"; }
}

stop_cluster() {
  local dir="$1"
  [[ -n "${PG_BIN:-}" && -f "$dir/postmaster.pid" ]] || return 0
  as_pg_owner "$PG_BIN/pg_ctl" stop -D "$dir" -m fast -w >/dev/null 2>&1 || true
}

free_port() {
  local port
  for port in $(seq "${1:-15432}" 65000); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  die "no free TCP port found"
}

# A cluster of its own in /tmp on a free port (never the run cluster), trust auth, removed when the script exits.
throwaway_cluster() {
  local purpose="$1" base_port="$2" options="$3"
  THROWAWAY_DIR="$(mktemp -d "/tmp/creditdesk-$purpose.XXXXXX")"
  chmod 755 "$THROWAWAY_DIR"
  THROWAWAY_PORT="$(free_port "$base_port")"
  say "Starting a throw-away PostgreSQL ($purpose) on port $THROWAWAY_PORT"
  start_cluster "$THROWAWAY_DIR/pg" "$THROWAWAY_PORT" trust "$options"
  trap 'stop_cluster "$THROWAWAY_DIR/pg"; rm -rf "$THROWAWAY_DIR"' EXIT
}

# The postgres user must reach the data directory; a checkout under /root (mode 700) is out of its reach.
run_cluster_dir() {
  if [[ $EUID -ne 0 ]] || runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    echo "$RUN_PG_DIR"; return 0
  fi
  local outside="/var/lib/creditdesk/$(echo -n "$ROOT" | sha256sum | cut -c1-12)/pg"
  mkdir -p "$(dirname "$outside")" "$DATA_DIR"
  [[ -L "$RUN_PG_DIR" ]] || ln -s "$outside" "$RUN_PG_DIR"
  echo "$outside"
}

# ---------------------------------------------------------------- commands

# The app reads and writes numbers by the person's culture (InvariantGlobalization is off): .NET needs ICU for that.
ensure_icu() {
  ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so' && return 0
  apt_install libicu-dev /usr/bin/icuinfo
}

cmd_build() {
  ensure_icu
  say "Restoring and building ($CONFIGURATION)"
  dotnet tool restore >/dev/null
  dotnet build CreditDesk.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly
}

cmd_run() {
  cmd_build
  if [[ -z "${ConnectionStrings__CreditDesk:-}" ]]; then
    require_pg
    mkdir -p "$DATA_DIR"
    chmod 755 "$DATA_DIR"
    [[ -f "$DATA_DIR/pg.password" ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DATA_DIR/pg.password")
    local dir
    dir="$(run_cluster_dir)"
    say "Starting the embedded PostgreSQL under .data/pg on port $RUN_PG_PORT"
    start_cluster "$dir" "$RUN_PG_PORT" password
    RUN_CLUSTER_DIR="$dir"
    local password
    password="$(cat "$DATA_DIR/pg.password")"
    export PGPASSWORD="$password"
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$RUN_PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'creditdesk'" | grep -q 1; then
      "$PG_BIN/createdb" -h 127.0.0.1 -p "$RUN_PG_PORT" -U postgres creditdesk
    fi
    unset PGPASSWORD
    export ConnectionStrings__CreditDesk="Host=127.0.0.1;Port=$RUN_PG_PORT;Database=creditdesk;Username=postgres;Password=$password"
  else
    say "Using the database from ConnectionStrings__CreditDesk (no embedded PostgreSQL)"
  fi

  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  export CREDITDESK_DATA_DIR="$DATA_DIR"
  say "CreditDesk is starting on $APP_URL (Ctrl-C stops it)"
  say "Health: $APP_URL/health/ready"
  if [[ "$ASPNETCORE_ENVIRONMENT" != "Production" ]]; then
    say "Sign in as admin@creditdesk.test / Admin!2026desk, officer@creditdesk.test / Officer!2026desk or applicant@creditdesk.test / Applicant!2026desk (API keys in README.md)"
  fi
  cd "$ROOT/CreditDesk.Web"
  dotnet run --no-build -c "$CONFIGURATION" --no-launch-profile --urls "$APP_URL" &
  APP_PID=$!
  # Ctrl-C or a kill stops the app first, then the embedded PostgreSQL; the data stays for the next run.
  trap 'stop_run' INT TERM EXIT
  wait "$APP_PID" || true
}

stop_run() {
  trap - INT TERM EXIT
  if [[ -n "${APP_PID:-}" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    pkill -TERM -P "$APP_PID" 2>/dev/null || true
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [[ -n "${RUN_CLUSTER_DIR:-}" ]]; then
    say "Stopping PostgreSQL"
    stop_cluster "$RUN_CLUSTER_DIR"
  fi
  exit 0
}

APT_UPDATED=""
# apt_install PACKAGE COMMAND-THAT-PROVES-IT: installs a Debian package when its program is missing (root only).
apt_install() {
  local package="$1" program="$2"
  [[ -x "$program" ]] || command -v "$program" >/dev/null 2>&1 && return 0
  [[ $EUID -eq 0 ]] || die "$package is missing: run 'sudo apt-get install -y $package' first."
  say "Installing $package (apt-get)"
  if [[ -z "$APT_UPDATED" ]]; then
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  # Packages with a service (nginx) must not start it: the tests run their own instances on free ports.
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null || {
    [[ -n "$own_policy" ]] && rm -f "$policy"
    die "apt-get could not install $package"
  }
  [[ -n "$own_policy" ]] && rm -f "$policy"
  return 0
}

ensure_chromium() { apt_install chromium "${CREDITDESK_CHROMIUM:-/usr/bin/chromium}"; }

# The deployment's files, checked as far as this machine allows (no Docker engine): compose validates its file, and the
# cluster tests run deploy/nginx.conf with Debian's nginx in front of two app processes.
ensure_cluster_tools() {
  apt_install docker-compose docker-compose
  apt_install nginx /usr/sbin/nginx
}

validate_compose() {
  say "Validating docker-compose.yml (docker-compose config)"
  (cd "$ROOT" && docker-compose --env-file .env.example config -q) || die "docker-compose.yml is not valid"
}

cmd_test() {
  prepare_tests
  check_model_snapshot
  run_tests "Category!=Benchmark&Category!=ChaosSlow&Category!=Screenshots&Category!=AfterSuite" "Category=AfterSuite"
}

# The EF model and its migrations' snapshot agree: a model change without `dotnet ef migrations add` fails the build here.
check_model_snapshot() {
  say "Checking that the EF model needs no new migration (dotnet ef migrations has-pending-model-changes)"
  dotnet ef migrations has-pending-model-changes --project CreditDesk.Infrastructure --startup-project CreditDesk.Infrastructure \
    --configuration "$CONFIGURATION" --no-build >/dev/null \
    || die "the EF model has changes no migration describes: run 'dotnet ef migrations add <Name> --project CreditDesk.Infrastructure --startup-project CreditDesk.Infrastructure --output-dir Persistence/Migrations'"
}

# The screenshot tour: every main screen at desktop, tablet and phone widths in both themes, into docs/screenshots.
cmd_screenshots() {
  ensure_chromium
  require_pg
  cmd_build
  export CREDITDESK_SCREENSHOTS_OUT="$ROOT/docs/screenshots"
  mkdir -p "$CREDITDESK_SCREENSHOTS_OUT"
  run_tests "Category=Screenshots"
  say "Screenshots written to docs/screenshots"
}

# Only the deployment checks: compose validation, then two app processes behind deploy/nginx.conf with Chromium.
cmd_e2e_cluster() {
  prepare_tests
  run_tests "Category=Cluster"
}

# The Standard Webhooks reference library (npm) the outgoing-webhook tests verify signatures with; pinned by its lock file.
ensure_standard_webhooks() {
  apt_install nodejs node
  command -v npm >/dev/null 2>&1 || apt_install npm npm
  local dir="$ROOT/CreditDesk.Tests/StandardWebhooks"
  if [[ ! -d "$dir/node_modules/standardwebhooks" ]]; then
    say "Installing the Standard Webhooks verifier (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm could not install standardwebhooks (CreditDesk.Tests/StandardWebhooks)"
  fi
  export CREDITDESK_STANDARD_WEBHOOKS="$dir/verify.mjs"
}

# What every test run needs: Chromium, nginx and docker-compose, Node with the Standard Webhooks library, PostgreSQL
# binaries, a valid compose file, a build.
prepare_tests() {
  ensure_chromium
  ensure_cluster_tools
  ensure_standard_webhooks
  require_pg
  validate_compose
  cmd_build
}

# SPEC §9's fault drills: each sets up, breaks, checks with SQL and prints PASS or FAIL with its counts (bench/out/chaos.txt).
# The quick ones (Category=Chaos) also run in ./build.sh test; the slow ones (ChaosSlow: kill -9, database stopped 15 s) only here.
cmd_chaos() {
  ensure_chromium
  require_pg
  cmd_build
  export CREDITDESK_CHAOS_OUT="$ROOT/bench/out"
  mkdir -p "$CREDITDESK_CHAOS_OUT"
  rm -f "$CREDITDESK_CHAOS_OUT/chaos.txt"
  local status=0
  run_tests "Category=Chaos|Category=ChaosSlow" || status=$?
  say "Chaos drills:"
  if [[ -s "$CREDITDESK_CHAOS_OUT/chaos.txt" ]]; then
    cat "$CREDITDESK_CHAOS_OUT/chaos.txt"
    { echo "Run on $(machine_line)."; echo; sed 's/^/- /' "$CREDITDESK_CHAOS_OUT/chaos.txt"; } >"$CREDITDESK_CHAOS_OUT/chaos.section"
    replace_section "$ROOT/docs/PERFORMANCE.md" chaos "$CREDITDESK_CHAOS_OUT/chaos.section"
  else
    echo "no drill reported a verdict"
  fi
  return $status
}

# print_failures TRX: each failed test's name and the first lines of its message, entities decoded.
print_failures() {
  awk '
    /<UnitTestResult / {
      failed = ($0 ~ /outcome="Failed"/); inmessage = 0; lines = 0
      if (failed && match($0, /testName="[^"]*"/)) print "  FAILED " substr($0, RSTART + 10, RLENGTH - 11)
    }
    failed && !inmessage && /<Message>/ { inmessage = 1; sub(/.*<Message>/, "") }
    failed && inmessage {
      line = $0; ended = sub(/<\/Message>.*/, "", line)
      if (lines++ < 12) print "    " line
      if (ended) { inmessage = 0; failed = 0 }
    }
  ' "$1" | sed -e 's/&quot;/"/g' -e 's/&apos;/'"'"'/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
}

# run_tests FILTER [AFTER]: the selected tests against a throw-away PostgreSQL, then (when given) the AFTER tests, which
# read what the first run recorded (every API answer: the contract coverage check); ends with "N passed, N failed".
run_tests() {
  local filter="$1" after="${2:-}"
  throwaway_cluster test 25432 "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  local work="$THROWAWAY_DIR" port="$THROWAWAY_PORT"

  export CREDITDESK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  export CREDITDESK_TEST_PGDATA="$work/pg" CREDITDESK_PG_BIN="$PG_BIN"
  export CREDITDESK_CHROMIUM="${CREDITDESK_CHROMIUM:-/usr/bin/chromium}"
  export CREDITDESK_NGINX="${CREDITDESK_NGINX:-/usr/sbin/nginx}"
  export CREDITDESK_OBSERVED_RESPONSES="$work/observed-responses.txt"
  rm -f "$CREDITDESK_OBSERVED_RESPONSES"
  # Apps started by tests log warnings and errors only, so test output stays readable.
  export Serilog__MinimumLevel__Default="${Serilog__MinimumLevel__Default:-Warning}"

  say "Running tests ($filter)"
  local status=0
  # A hung test is killed (with a dump of what it was doing) instead of holding CI until its time limit.
  dotnet test CreditDesk.sln -c "$CONFIGURATION" --no-build --nologo --filter "$filter" --blame-hang-timeout 5m \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$work/results" || status=$?
  if [[ -n "$after" ]]; then
    say "Running tests that check the whole run ($after)"
    dotnet test CreditDesk.sln -c "$CONFIGURATION" --no-build --nologo --filter "$after" \
      --logger "trx;LogFileName=after-suite.trx" --logger "console;verbosity=normal" --results-directory "$work/results" || status=$?
  fi

  local passed=0 failed=0 skipped=0 total=0 trx counters
  for trx in "$work"/results/*.trx; do
    [[ -f "$trx" ]] || continue
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    total=$((total + $(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")))
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
  done
  skipped=$((total - passed - failed))
  if [[ $failed -gt 0 ]]; then
    # CI keeps only the tail of the output: name each failure and the start of its message just above the count.
    echo "Failed tests:"
    for trx in "$work"/results/*.trx; do
      if [[ -f "$trx" ]]; then print_failures "$trx"; fi
    done
  fi
  if [[ $total -eq 0 ]]; then
    echo "no tests ran"
    failed=$((failed + 1))
  fi
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    failed=1
  fi
  if [[ $skipped -gt 0 ]]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [[ $failed -eq 0 ]]
}

# Benchmarks (SPEC §9) in Release against their own PostgreSQL. Every run of every measurement goes to bench/out/runs.tsv;
# the medians, minima and maxima go to bench/results.json and the table in docs/PERFORMANCE.md.
cmd_bench() {
  local which="${1:-all}"
  case "$which" in all|b1|b2|b3|b4|b5|b6|memory) ;; report) bench_report_only; return ;; *) die "unknown benchmark '$which' (all, b1, b2, b3, b4, b5, b6, memory, report)" ;; esac
  require_pg
  [[ "$which" == "all" || "$which" == "b4" || "$which" == "memory" ]] && ensure_chromium
  [[ "$which" == "all" || "$which" == "b1" || "$which" == "b5" ]] && apt_install wrk wrk
  CONFIGURATION=Release cmd_build
  throwaway_cluster bench 26432 "-c shared_buffers=512MB -c synchronous_commit=on -c max_wal_size=4GB"
  local port="$THROWAWAY_PORT"
  export CREDITDESK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=200"
  export CREDITDESK_TEST_PGDATA="$THROWAWAY_DIR/pg" CREDITDESK_PG_BIN="$PG_BIN"
  export CREDITDESK_CHROMIUM="${CREDITDESK_CHROMIUM:-/usr/bin/chromium}"
  export CREDITDESK_BENCH_OUT="$ROOT/bench/out"
  export Serilog__MinimumLevel__Default=Warning
  mkdir -p "$CREDITDESK_BENCH_OUT"
  local runs="$CREDITDESK_BENCH_OUT/runs.tsv" id
  if [[ "$which" == "all" ]]; then
    rm -f "$CREDITDESK_BENCH_OUT"/*.txt "$runs" "$CREDITDESK_BENCH_OUT/carried-from" "$CREDITDESK_BENCH_OUT/remeasured"
  else
    # A partial run on a fresh clone keeps the other rows of the last full run (bench/results.json), said as carried over.
    [[ -s "$runs" ]] || seed_runs_from_results "$runs"
    id="$(tr '[:lower:]' '[:upper:]' <<<"$which")"; [[ "$which" == "memory" ]] && id="M1"
    grep -qx "$id" "$CREDITDESK_BENCH_OUT/remeasured" 2>/dev/null || echo "$id" >>"$CREDITDESK_BENCH_OUT/remeasured"
    # B1, B2 and B5 are judged against B0 of their own run: measuring one of them measures B0 again (the other
    # ratios are then against the new B0, which the report says by listing B0 as re-measured).
    local drop=(-e "^$id	")
    if [[ "$which" =~ ^(b1|b2|b5)$ ]]; then
      drop+=(-e "^B0	")
      grep -qx "B0" "$CREDITDESK_BENCH_OUT/remeasured" 2>/dev/null || echo "B0" >>"$CREDITDESK_BENCH_OUT/remeasured"
    fi
    [[ -f "$runs" ]] && { grep -v "${drop[@]}" "$runs" >"$runs.tmp" || true; mv "$runs.tmp" "$runs"; }
    rm -f "$CREDITDESK_BENCH_OUT/$which"*.txt "$CREDITDESK_BENCH_OUT/b0.txt"
  fi
  local filter=""
  case "$which" in
    all) filter="Category=Benchmark" ;;
    b2) filter="Category=Benchmark&FullyQualifiedName~DrainBenchmark.Drain_a_backlog" ;;
    b3) filter="Category=Benchmark&FullyQualifiedName~ListQueryBenchmark" ;;
    b4) filter="Category=Benchmark&FullyQualifiedName~LiveUpdateBenchmark" ;;
    b5) filter="Category=Benchmark&FullyQualifiedName~WebhookBenchmark" ;;
    b6) filter="Category=Benchmark&FullyQualifiedName~DrainBenchmark.Two_nodes" ;;
    memory) filter="Category=Benchmark&FullyQualifiedName~CircuitMemoryBenchmark" ;;
  esac
  local status=0
  # B0 first, before anything else writes: the targets of B1, B2 and B5 are multiples of what this machine's PostgreSQL
  # commits today.
  if [[ "$which" =~ ^(all|b1|b2|b5)$ ]]; then
    bench_b0 "$port" || status=1
  fi
  # B1 next, on a cluster nothing else has written to yet (a checkpoint after B3's million rows would land in it).
  if [[ "$which" == "all" || "$which" == "b1" ]]; then
    bench_b1 "$port" || status=1
  fi
  if [[ -n "$filter" ]]; then
    # One benchmark at a time: xunit would otherwise run the classes side by side on the same two cores.
    dotnet test CreditDesk.Tests -c Release --no-build --nologo --filter "$filter" --logger "console;verbosity=normal" \
      -- xUnit.ParallelizeTestCollections=false >"$CREDITDESK_BENCH_OUT/dotnet-test.log" 2>&1 || status=1
    grep -E "^\s*(Passed|Failed) |Error Message" -A2 "$CREDITDESK_BENCH_OUT/dotnet-test.log" | grep -v "^--$" || true
  fi
  bench_report
  say "Per-run notes:"
  cat "$CREDITDESK_BENCH_OUT"/{b0,b1,b2,b3,b4,b5,b6,memory}.txt 2>/dev/null || true
  return $status
}

# Medians of bench/out/runs.tsv into bench/results.json and the generated tables of docs/PERFORMANCE.md and README.md.
bench_report() {
  local runs="$CREDITDESK_BENCH_OUT/runs.tsv" table
  [[ -s "$runs" ]] || { say "No benchmark results recorded"; return 0; }
  table="$(mktemp)"
  awk -v cores="$(nproc)" -v date="$(date -u +%Y-%m-%d)" -v commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    -v json="$ROOT/bench/results.json" -v table="$table" -f "$ROOT/bench/report.awk" "$runs"
  {
    echo "Measured on $(machine_line); medians of the runs listed."
    if [[ -s "$CREDITDESK_BENCH_OUT/carried-from" && -s "$CREDITDESK_BENCH_OUT/remeasured" ]]; then
      echo "Re-measured here: $(paste -sd, "$CREDITDESK_BENCH_OUT/remeasured" | sed 's/,/, /g'); the other rows are carried over from the full run at commit $(cat "$CREDITDESK_BENCH_OUT/carried-from")."
    fi
    echo
    cat "$table"
  } >"$table.section"
  replace_section "$ROOT/docs/PERFORMANCE.md" results "$table.section"
  replace_section "$ROOT/README.md" results "$table.section"
  say "Results (bench/results.json, docs/PERFORMANCE.md, README.md):"
  cat "$table"
  rm -f "$table" "$table.section"
}

# seed_runs_from_results FILE: bench/results.json's runs back into runs.tsv lines (one result per line in that file).
seed_runs_from_results() {
  local out="$1" json="$ROOT/bench/results.json"
  [[ -s "$json" ]] || return 0
  awk -v out="$out" '
    function field(name,   pattern) {
      pattern = "\"" name "\": \"[^\"]*\""
      if (!match($0, pattern)) return ""
      return substr($0, RSTART + length(name) + 5, RLENGTH - length(name) - 6)
    }
    /"id": "/ {
      if (!match($0, /"runs": \[[^]]*\]/)) next
      n = split(substr($0, RSTART + 9, RLENGTH - 10), values, /, */)
      for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", field("id"), field("measurement"), field("metric"), i, values[i], field("unit"), field("target") >> out
    }' "$json"
  grep -o '"commit": "[^"]*"' "$json" | head -n 1 | sed -E 's/.*"([^"]*)"$/\1/' >"$CREDITDESK_BENCH_OUT/carried-from"
}

# ./build.sh bench report: the tables again from bench/out/runs.tsv, without measuring.
bench_report_only() {
  export CREDITDESK_BENCH_OUT="$ROOT/bench/out"
  bench_report
}

machine_line() {
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(date -u +%Y-%m-%d), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# replace_section FILE NAME CONTENT-FILE: puts the content between <!-- NAME:start --> and <!-- NAME:end --> in FILE.
replace_section() {
  local file="$1" name="$2" content="$3"
  grep -q "<!-- $name:start -->" "$file" 2>/dev/null || return 0
  {
    sed "/<!-- $name:start -->/q" "$file"
    echo
    cat "$content"
    echo
    sed -n "/<!-- $name:end -->/,\$p" "$file"
  } >"$file.tmp" && mv "$file.tmp" "$file"
}

# dev_api_key ROLE: the development API key of that role (appsettings.Development.json, DevelopmentAccounts).
dev_api_key() {
  grep -o "\"ApiKey\": *\"cdk_dev_$1[^\"]*\"" "$ROOT/CreditDesk.Web/appsettings.Development.json" | head -n 1 | sed -E 's/.*"([^"]*)"$/\1/'
}

# wrk prints latencies as 850.00us, 38.51ms or 1.20s: in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else if (v ~ /s$/) printf "%.3f", v * 1000; else print v }'; }

# start_bench_app PG_PORT DATABASE LOG: the Release app with processing off on its own database (which it migrates);
# returns once it answers, with BENCH_APP_PORT and BENCH_APP_PID set.
start_bench_app() {
  local pg_port="$1" database="$2" log="$3" app_port key
  key="$(dev_api_key applicant)"
  app_port="$(free_port 27080)"
  BENCH_APP_PORT="$app_port"
  (cd "$ROOT/CreditDesk.Web" && ASPNETCORE_ENVIRONMENT=Development Seed__SampleApplications=false Processing__Enabled=false \
    RateLimits__submit__PermitLimit=100000000 Serilog__MinimumLevel__Default=Warning \
    ConnectionStrings__CreditDesk="Host=127.0.0.1;Port=$pg_port;Database=$database;Username=postgres;Maximum Pool Size=${CREDITDESK_BENCH_POOL:-12}" \
    exec dotnet "bin/Release/net10.0/CreditDesk.Web.dll" --urls "http://127.0.0.1:$app_port") >"$log" 2>&1 &
  BENCH_APP_PID=$!
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null -H "Authorization: Bearer $key" "http://127.0.0.1:$app_port/api/v1/applications?limit=1" && break
    sleep 0.5
  done
}

# B0: the machine's own reference. pgbench of the bare intake transaction (application + audit + outbox rows, no NOTIFY),
# 32 clients, on a schema the app migrated; the targets of B1, B2 and B5 are multiples of its median.
bench_b0() {
  local pg_port="$1" run tps runs_file="$CREDITDESK_BENCH_OUT/runs.tsv"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres bench_b0
  say "B0: pgbench of the bare intake transaction, 32 clients"
  start_bench_app "$pg_port" bench_b0 "$CREDITDESK_BENCH_OUT/b0-app.log"
  kill "$BENCH_APP_PID" 2>/dev/null || true
  wait "$BENCH_APP_PID" 2>/dev/null || true
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 32 -j 2 -T 5 -f "$ROOT/bench/b1-pgbench.sql" bench_b0 >/dev/null 2>&1 || true
  for run in 1 2 3; do
    tps="$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 32 -j 2 -T 10 -f "$ROOT/bench/b1-pgbench.sql" bench_b0 2>/dev/null \
      | awk '/^tps/ {print $3; exit}' || true)"
    [[ -n "$tps" ]] || { echo "B0 run $run: pgbench failed" >>"$CREDITDESK_BENCH_OUT/b0.txt"; return 1; }
    printf 'B0\tpgbench, bare intake transaction (application + audit + outbox, no NOTIFY), 32 clients\tthroughput\t%s\t%s\ttps\t\n' "$run" "$tps" >>"$runs_file"
    echo "B0 run $run: $tps tps" >>"$CREDITDESK_BENCH_OUT/b0.txt"
  done
  "$PG_BIN/dropdb" -h 127.0.0.1 -p "$pg_port" -U postgres bench_b0
}

# B1: POST /applications over 32 connections with wrk, against pgbench running the same transaction with 32 clients.
bench_b1() {
  local pg_port="$1" app_port key app_pid
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres bench_b1
  key="$(dev_api_key applicant)"
  say "B1: starting the app (Release, processing off so only intake is measured)"
  start_bench_app "$pg_port" bench_b1 "$CREDITDESK_BENCH_OUT/b1-app.log"
  app_port="$BENCH_APP_PORT" app_pid="$BENCH_APP_PID"
  # Warm-up, then three measured runs of each; the median is what counts.
  # 20 s, not 5: with tiered PGO the JIT is still recompiling the hot path for the first ~15 s under load (a profile
  # showed 13 % of the app's CPU in clrjit at 10 s), and a server runs for hours.
  CREDITDESK_BENCH_RUN=0 CREDITDESK_BENCH_KEY="$key" wrk -t2 -c32 -d20s -s "$ROOT/bench/b1-submit.lua" "http://127.0.0.1:$app_port/api/v1/applications" >/dev/null
  local run out rps p50 p99 tps pool_tps pool="${CREDITDESK_BENCH_POOL:-12}" what="POST /applications, wrk, 32 connections (intake only)" runs_file="$CREDITDESK_BENCH_OUT/runs.tsv"
  for run in 1 2 3; do
    out="$(CREDITDESK_BENCH_RUN="$run" CREDITDESK_BENCH_KEY="$key" wrk -t2 -c32 -d15s --latency -s "$ROOT/bench/b1-submit.lua" "http://127.0.0.1:$app_port/api/v1/applications")"
    echo "$out" >"$CREDITDESK_BENCH_OUT/b1-wrk-$run.log"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
    if grep -q "Non-2xx" <<<"$out"; then echo "B1 run $run: some requests were not 201: $(grep Non-2xx <<<"$out")" >>"$CREDITDESK_BENCH_OUT/b1.txt"; fi
    tps="$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 32 -j 2 -T 15 -f "$ROOT/bench/b1-pgbench.sql" bench_b1 2>/dev/null \
      | awk '/^tps/ {print $3; exit}' || true)"
    printf 'B1\t%s\tthroughput\t%s\t%s\treq/s\t>= 0.75×B0\n' "$what" "$run" "$rps" >>"$runs_file"
    printf 'B1\t%s\tp50\t%s\t%s\tms\t\n' "$what" "$run" "$p50" >>"$runs_file"
    printf 'B1\t%s\tp99\t%s\t%s\tms\t<= 50\n' "$what" "$run" "$p99" >>"$runs_file"
    printf 'B1\tpgbench, the same transaction, 32 clients\tthroughput\t%s\t%s\ttps\t\n' "$run" "$tps" >>"$runs_file"
    printf 'B1\tAPI throughput / pgbench throughput\tratio\t%s\t%s\t×\t>= 0.5\n' "$run" "$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print 0 }')" >>"$runs_file"
    # The same transaction with as many clients as the app's pool has connections: what PostgreSQL does without 32-way contention.
    pool_tps="$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$pool" -j 2 -T 15 -f "$ROOT/bench/b1-pgbench.sql" bench_b1 2>/dev/null \
      | awk '/^tps/ {print $3; exit}' || true)"
    printf 'B1\tpgbench, the same transaction, %s clients (the app pool size)\tthroughput\t%s\t%s\ttps\t\n' "$pool" "$run" "$pool_tps" >>"$runs_file"
    echo "B1 run $run: $rps req/s, p50 $p50 ms, p99 $p99 ms; pgbench $tps tps" >>"$CREDITDESK_BENCH_OUT/b1.txt"
  done
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
}

# Sends a bank webhook signed by the development bank (Banco Demo, ES: its key from appsettings.Development.json) to the running app.
cmd_webhook() {
  local id="${1:?usage: ./build.sh webhook <application-id> [account.verified|disbursement.completed|disbursement.failed]}"
  local type="${2:-disbursement.completed}"
  local settings="$ROOT/CreditDesk.Web/appsettings.Development.json"
  local admin key_id secret app amount currency body t signature
  admin="$(dev_api_key admin)"
  key_id="$(tr -d '\n' <"$settings" | grep -o '"KeyId": *"[^"]*"' | head -n 1 | sed -E 's/.*"([^"]*)"$/\1/')"
  secret="$(tr -d '\n' <"$settings" | grep -o '"Secret": *"[^"]*"' | head -n 1 | sed -E 's/.*"([^"]*)"$/\1/')"
  app="$(curl -fsS -H "Authorization: Bearer $admin" "$APP_URL/api/v1/applications/$id")" || die "application $id not found at $APP_URL"
  amount="$(sed -E 's/.*"amount":"([0-9.]+)".*/\1/' <<<"$app")"
  currency="$(sed -E 's/.*"currency":"([A-Z]{3})".*/\1/' <<<"$app")"
  body="{\"event_id\":\"evt-$(date +%s%N)\",\"event_type\":\"$type\",\"application_id\":\"$id\",\"provider_reference\":\"demo-$RANDOM\",\"amount\":\"$amount\",\"currency\":\"$currency\",\"occurred_at\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
  t="$(date +%s)"
  signature="$(printf '%s' "$t.$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')"
  curl -sS -X POST "$APP_URL/api/v1/webhooks/bank-confirmation" -H 'Content-Type: application/json' \
    -H "X-CreditDesk-Signature: t=$t,kid=$key_id,v1=$signature" --data-binary "$body"
  echo
}

# Rewrites docs/openapi.json from what the app serves; the tests' NSwag client is generated from it at their next build.
cmd_openapi() {
  require_pg
  cmd_build
  export CREDITDESK_WRITE_OPENAPI=1
  run_tests "FullyQualifiedName~GeneratedClientTests.The_committed_openapi_document"
  say "docs/openapi.json written; build again to regenerate the client"
}

case "${1:-help}" in
  run) cmd_run ;;
  openapi) cmd_openapi ;;
  webhook) shift; cmd_webhook "$@" ;;
  bench) shift; cmd_bench "${1:-all}" ;;
  test) cmd_test ;;
  e2e-cluster) cmd_e2e_cluster ;;
  screenshots) cmd_screenshots ;;
  chaos) cmd_chaos ;;
  build) cmd_build ;;
  *)
    cat <<'EOF'
Usage: ./build.sh <command>
  run    restore, build, start the embedded PostgreSQL (unless ConnectionStrings__CreditDesk is set) and the app on http://127.0.0.1:5080
  test   install what the tests need (Chromium, a throw-away PostgreSQL) and run every test; ends with "N passed, N failed"
  e2e-cluster  compose validation and two app processes behind deploy/nginx.conf driven by Chromium (part of test)
  openapi  rewrite docs/openapi.json from what the app serves (the tests' generated client follows it)
  webhook <application-id> [event-type]  send a signed bank webhook to the running app (default disbursement.completed)
  screenshots  every main screen at desktop, tablet and phone widths in light and dark, into docs/screenshots
  chaos  the fault drills of SPEC §9 (kill -9, database outage, two processes, storms, bureau chaos): PASS/FAIL lines in bench/out/chaos.txt
  bench [b1|b2|b3|b4|b5|memory|report]  SPEC §9 benchmarks in Release on their own PostgreSQL, three runs each; medians in
         bench/results.json and docs/PERFORMANCE.md, every run in bench/out/runs.tsv
  build  restore and build
EOF
    ;;
esac

#!/usr/bin/env bash
# What the tests, the fuzzing and the sample need beyond the .NET SDK, in one place. Used by `./build.sh deps`,
# `./build.sh test` and .ci/run.
#   scripts/deps.sh install   as root on Debian: apt-get install what is missing (MKL from non-free), then start
#   scripts/deps.sh check     one line per missing test dependency with the command that installs it; exit 1 if any
#   scripts/deps.sh start     start the services the tests use (a loopback Redis) when installed and not running
set -euo pipefail

# One row per dependency: "name|what needs it|probe|Debian packages|needed by ./build.sh test (yes/no)".
# A probe is a shell condition; the packages install it.
deps() {
  cat <<'EOF'
cmake|the native C kernel library and its tests|have cmake|cmake|yes
C compiler|the native C kernel library and its tests, the native xmr of ./build.sh publish (Native AOT links with clang or gcc)|have cc|gcc libc6-dev|yes
SciPy|the .npz interop tests|/usr/bin/python3 -c 'import numpy, scipy.sparse'|python3-scipy python3-numpy|yes
strace|the killed-save crash tests|have strace|strace|yes
Chromium|the auto-complete page's browser test|[ -f /usr/bin/chromium ] && [ -x /usr/bin/chromium ]|chromium|yes
chromedriver|the auto-complete page's browser test|[ -f /usr/bin/chromedriver ] && [ -x /usr/bin/chromedriver ]|chromium-driver|yes
Redis|the cluster tests (Orleans membership)|have redis-server && have redis-cli|redis-server|yes
Intel MKL|the MKL kernel backend tests|mkl_present|libmkl-rt|yes
AFL++|./build.sh fuzz|have afl-fuzz|afl++|no
unzip|samples/build-sample.sh|have unzip|unzip|no
curl|samples/build-sample.sh|have curl|curl ca-certificates|no
EOF
}

# A command on PATH that is an executable file (bash's `command -v` also names a non-executable one).
have() {
  local path
  path="$(command -v "$1" 2>/dev/null)" && [ -f "$path" ] && [ -x "$path" ]
}

mkl_present() {
  [ -f /usr/lib/x86_64-linux-gnu/libmkl_rt.so ] || [[ "$(/sbin/ldconfig -p 2>/dev/null || true)" == *libmkl_rt.so* ]]
}

probe() { eval "$1" >/dev/null 2>&1; }

redis_answers() { have redis-cli && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }

# Debian ships libmkl-rt in the non-free component of the archive already configured: enable it once.
enable_non_free() {
  local src=/etc/apt/sources.list.d/debian.sources
  if [ -f "$src" ]; then
    sed -i -E '/^Components:/{/(^|[[:space:]])non-free([[:space:]]|$)/!s/$/ non-free/}' "$src"
  elif [ -f /etc/apt/sources.list ]; then
    # One-line sources format (older images): add non-free to every Debian archive line.
    sed -i -E '/^deb .*debian/{/[[:space:]]non-free([[:space:]]|$)/!s/$/ non-free/}' /etc/apt/sources.list
  fi
  echo "libmkl-rt libmkl-rt/use-as-default-blas-lapack boolean false" | debconf-set-selections
}

install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing needs root on Debian (apt-get); run: sudo ./build.sh deps" >&2
    check all || true
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local need=() mkl=false name why test_probe pkgs tests
  while IFS='|' read -r name why test_probe pkgs tests; do
    probe "$test_probe" && continue
    if [ "$name" = "Intel MKL" ]; then mkl=true; else read -ra more <<<"$pkgs"; need+=("${more[@]}"); fi
  done < <(deps)
  if [ ${#need[@]} -gt 0 ]; then
    echo "deps: apt-get install ${need[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ "$mkl" = true ]; then
    echo "deps: apt-get install libmkl-rt (Debian non-free)"
    enable_non_free
    apt-get update -qq && apt-get install -y -qq --no-install-recommends libmkl-rt >/dev/null
  fi
  start
}

# A throwaway Redis on loopback (no persistence) for the cluster tests, unless one already answers.
start() {
  redis_answers && return 0
  have redis-server || return 0
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 1 50); do redis_answers && return 0; sleep 0.1; done
  echo "deps: redis-server was started but does not answer on 127.0.0.1:6379" >&2
  return 1
}

# check [all]: the test dependencies (all: every dependency) that are missing, one line each.
check() {
  local scope="${1:-tests}" missing=0 name why test_probe pkgs tests install
  while IFS='|' read -r name why test_probe pkgs tests; do
    [ "$scope" = all ] || [ "$tests" = yes ] || continue
    probe "$test_probe" && continue
    if [ "$name" = "Intel MKL" ]; then
      install="sudo ./build.sh deps (enables Debian's non-free component, then apt-get install libmkl-rt)"
    else
      install="sudo apt-get install -y --no-install-recommends $pkgs"
    fi
    echo "missing: $name, for $why; install: $install" >&2
    missing=$((missing + 1))
  done < <(deps)
  if have redis-server && ! redis_answers; then
    echo "missing: a Redis server on 127.0.0.1:6379, for the cluster tests; start: redis-server --bind 127.0.0.1 --port 6379 --save '' --daemonize yes" >&2
    missing=$((missing + 1))
  fi
  [ "$missing" -eq 0 ]
}

case "${1:-}" in
  install) install ;;
  check) check "${2:-tests}" ;;
  start) start ;;
  *) echo "usage: scripts/deps.sh install|check [all]|start" >&2; exit 2 ;;
esac

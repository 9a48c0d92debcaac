#!/usr/bin/env bash
# The two commands a new user needs on Debian 12:
#   ./run.sh demo [ARGS...]   set up, then run the kiosk demo (.venv/bin/kiosk demo ARGS...)
#   ./run.sh test [ARGS...]   set up, then run every check; ARGS go to pytest
# Set-up is idempotent and quick when already done:
#   1. Debian packages (APT_PACKAGES): installed with apt-get when missing and we are root;
#      otherwise the apt-get line to run is printed and we stop.
#   2. .venv from python3 (>= 3.11), and `pip install -e '.[dev]'` whenever pyproject.toml changed.
set -euo pipefail

# Debian packages the project needs (build pyscard and pycups, run the real PC/SC stack and cupsd in
# tests, OpenSC cross-check, the certificate fonts, PDF checks). Add new ones here. Never add pcsc-tools:
# it pulls in GTK.
APT_PACKAGES=(
    python3
    python3-venv
    python3-dev
    gcc
    pkg-config
    libpcsclite-dev
    pcscd
    vsmartcard-vpcd
    opensc
    util-linux
    iproute2
    ca-certificates
    fonts-ipamj-mincho
    fonts-ipaexfont
    poppler-utils
    qpdf
    cups
    cups-client
    libcups2-dev
    zbar-tools
    # Qt Quick (PySide6-Essentials' own libraries need these), the screens' fonts for 中文/한국어, and Xvfb
    # for the full-screen test of `kiosk run`.
    libegl1
    libgl1
    libopengl0
    libfontconfig1
    libxkbcommon0
    libxkbcommon-x11-0
    libglib2.0-0
    libdbus-1-3
    libxcb-cursor0
    libxcb-icccm4
    libxcb-image0
    libxcb-keysyms1
    libxcb-randr0
    libxcb-render-util0
    libxcb-shape0
    libxcb-xinerama0
    libxcb-xkb1
    fonts-noto-cjk
    xvfb
    xauth
    # systemd-analyze verifies the units in systemd/ (tests/unit/test_systemd_units.py).
    systemd
)

MIN_PYTHON=(3 11)
VENV=.venv
STAMP=$VENV/.installed-stamp

cd "$(dirname "${BASH_SOURCE[0]}")"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    cat >&2 <<'EOF'
usage: ./run.sh demo [ARGS...]   set up, then run the kiosk demo
       ./run.sh test [ARGS...]   set up, then run ruff, mypy, import-linter and pytest (ARGS go to pytest)
EOF
}

# Wall clock in microseconds (bash 5; strip the locale's decimal separator).
now_us() { local t=${EPOCHREALTIME//[!0-9]/}; printf '%s' "$((10#$t))"; }
fmt_us() { printf '%d.%02d s' "$(($1 / 1000000))" "$((($1 % 1000000) / 10000))"; }

ensure_apt_packages() {
    command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian 12 (apt/dpkg) only"
    local pkg status missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == *"ok installed"* ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0

    if ((EUID != 0)); then
        say "missing Debian packages: ${missing[*]}"
        printf 'sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
        exit 1
    fi

    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"

    # Installing pcscd may start the system PC/SC daemon: on a machine running systemd apt
    # enables and starts pcscd.socket (in containers, Docker's policy-rc.d starts nothing). The
    # tests never use it: they run their own pcscd in a private mount namespace. We do not stop
    # it (it may be serving a real reader); say so instead, because with vsmartcard-vpcd's
    # /etc/reader.conf.d/vpcd a system pcscd opens vpcd's port 35963 on all interfaces.
    if [[ -d /run/systemd/system || -S /run/pcscd/pcscd.comm ]]; then
        say "note: a system pcscd (or pcscd.socket) may now be active; the tests do not need it."
        say "      To turn it off: systemctl disable --now pcscd.socket pcscd.service"
    fi
}

python_ok() { # $1 = interpreter; true if it runs and is new enough
    "$1" -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON[0]}, ${MIN_PYTHON[1]}))" >/dev/null 2>&1
}

ensure_venv() {
    local want=${MIN_PYTHON[0]}.${MIN_PYTHON[1]}
    command -v python3 >/dev/null 2>&1 || die "python3 not found on PATH (need Python >= $want)"
    if ! python_ok python3; then
        die "python3 is $(python3 -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '?')" \
            "($(command -v python3)); this project needs Python >= $want"
    fi

    # A venv is broken if its interpreter no longer runs (e.g. the base Python was removed),
    # is too old, or has lost pip. Recreate it then.
    if [[ -d $VENV ]] && ! { python_ok "$VENV/bin/python" && "$VENV/bin/python" -c 'import pip' >/dev/null 2>&1; }; then
        say "$VENV is broken; recreating it"
        rm -rf -- "$VENV"
    fi
    if [[ ! -d $VENV ]]; then
        say "creating $VENV with $(command -v python3) ($(python3 -c 'import platform; print(platform.python_version())'))"
        python3 -m venv "$VENV"
    fi

    local hash
    hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [[ ! -f $STAMP || $(<"$STAMP") != "$hash" ]]; then
        say "installing the project into $VENV (pip install -e '.[dev]')"
        "$VENV/bin/python" -m pip install --disable-pip-version-check -e '.[dev]'
        printf '%s\n' "$hash" >"$STAMP"
    fi
    # The screens' translations: .ts sources in the repo, .qm built here (about a second).
    "$VENV/bin/python" tools/build_translations.py
}

setup() {
    local t0
    t0=$(now_us)
    ensure_apt_packages
    ensure_venv
    say "set-up ok ($(fmt_us $(($(now_us) - t0))))"
}

# run_step NAME CMD... : run one check, print a timing line, stop the script at the first failure.
run_step() {
    local name=$1 t0 rc=0 dt
    shift
    say "$name"
    t0=$(now_us)
    "$@" || rc=$?
    dt=$(fmt_us $(($(now_us) - t0)))
    if ((rc == 0)); then
        say "$name: ok ($dt)"
        return 0
    fi
    if [[ $name == pytest ]] && ((rc == 5)); then
        say "FAILED at step '$name': pytest collected no tests (exit 5, $dt)"
    else
        say "FAILED at step '$name' (exit $rc, $dt)"
    fi
    exit "$rc"
}

cmd_test() {
    setup
    local bin=$VENV/bin t0
    t0=$(now_us)
    run_step "ruff check" "$bin/ruff" check .
    run_step "mypy" "$bin/mypy" --strict kiosk printing municipal ui
    run_step "lint-imports" "$bin/lint-imports"
    run_step pytest "$bin/pytest" "$@"
    say "all checks passed ($(fmt_us $(($(now_us) - t0))))"
}

cmd_demo() {
    setup
    exec "$VENV/bin/kiosk" demo "$@"
}

main() {
    local verb=${1:-}
    (($# > 0)) && shift
    case $verb in
        demo) cmd_demo "$@" ;;
        test) cmd_test "$@" ;;
        -h | --help | help) usage ;;
        *) usage; exit 2 ;;
    esac
}

main "$@"

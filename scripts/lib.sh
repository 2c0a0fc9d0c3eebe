#!/usr/bin/env bash
# Shared helpers for the two README commands. Every ensure_* is idempotent and says what it does.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
STATE_DIR="${REPO_ROOT}/.cache"
mkdir -p "$STATE_DIR"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# run_ts FILE [ARGS...]: runs a TypeScript CLI in this process (exec), with tsx as Node's loader
# rather than through the tsx command. The tsx command is a parent process that relays a Ctrl-C
# to the CLI and, if the CLI has not answered within about 60 ms (a busy event loop on a loaded
# machine), kills it with SIGKILL: a game day or a release would then die half-way through
# reverting its fault or rolling back (chaos/src/ctrl-c-reaches-a-busy-cli.test.ts).
run_ts() { exec node --import tsx "$@"; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
# ensure_apt PKG...: install the Debian packages that are missing, updating the index once.
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  step "Installing Debian packages: ${missing[*]}"
  if [[ $APT_UPDATED -eq 0 ]]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  info "installed ${missing[*]}"
}

# ensure_project_apt: every package named in scripts/apt-packages.txt (one a line, # comments).
ensure_project_apt() {
  local pkgs
  mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^\s*$/d' "$REPO_ROOT/scripts/apt-packages.txt")
  ensure_apt "${pkgs[@]}"
}

# ensure_node_modules: npm ci when the lockfile changed since the last install.
ensure_node_modules() {
  local want have=""
  want=$(sha256sum "$REPO_ROOT/package-lock.json" | cut -c1-64)
  [[ -f "$REPO_ROOT/node_modules/.lock-sha256" ]] && have=$(cat "$REPO_ROOT/node_modules/.lock-sha256")
  if [[ "$want" != "$have" ]]; then
    step "Installing npm dependencies (npm ci)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$REPO_ROOT/node_modules/.lock-sha256"
  fi
}

docker_ok() { docker info >/dev/null 2>&1; }

# ensure_docker_daemon_json: the engine settings the lab needs, merged into daemon.json (nothing
# else in it changes, and a setting someone already chose is kept).
# - dns-opts: with any option set, Docker's embedded DNS answers a name it does not know at once
#   on an internal network; without one it forwards the query where there is no route and the
#   caller waits for its own timeout. Sentinel, Redis and Patroni look up the names of members
#   that are down on their main thread, so that wait stalled the Redis failover for 18 s to over
#   2 minutes (docs/lab/data-ha.md, "DNS"). ndots:0 is Docker's own default: no lookup changes.
# - userland-proxy false: published ports are reached from 127.0.0.1 through the kernel's NAT,
#   as from anywhere else, instead of a docker-proxy process per port that copies every byte.
#   Under an open-model load that proxy stopped accepting (its IPv4 listener exited) and took
#   the store's port with it until the edge was replaced; it also spent the lab's CPU
#   (docs/adr/0206-lab-idle-cost.md).
DOCKER_DAEMON_JSON=/etc/docker/daemon.json
ensure_docker_daemon_json() {
  as_root mkdir -p "$(dirname "$DOCKER_DAEMON_JSON")"
  as_root node -e '
    const fs = require("fs"), f = process.argv[1];
    let cfg = {};
    if (fs.existsSync(f)) {
      try { cfg = JSON.parse(fs.readFileSync(f, "utf8") || "{}"); }
      catch (e) { console.error(`${f} is not valid JSON (${e.message}); fix it or move it away`); process.exit(2); }
    }
    const set = [];
    if (!(Array.isArray(cfg["dns-opts"]) && cfg["dns-opts"].length)) {
      cfg["dns-opts"] = ["ndots:0"];
      set.push(`dns-opts ["ndots:0"] (fast answers for unknown names on internal networks)`);
    }
    if (!("userland-proxy" in cfg)) {
      cfg["userland-proxy"] = false;
      set.push("userland-proxy false (published ports through the kernel, no docker-proxy)");
    }
    if (!set.length) process.exit(0);
    fs.writeFileSync(f, JSON.stringify(cfg, null, 2) + "\n");
    for (const s of set) console.error(`    set ${s} in ${f}`);
  ' "$DOCKER_DAEMON_JSON" || die "could not configure $DOCKER_DAEMON_JSON"
}

# ensure_docker: install Debian's docker.io and start dockerd when no engine answers.
ensure_docker() {
  docker_ok && return 0
  # Before the install: a package that starts the engine at once must find the setting.
  ensure_docker_daemon_json
  command -v dockerd >/dev/null 2>&1 || ensure_apt docker.io
  step "Starting the Docker engine (dockerd)"
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    as_root systemctl start docker || true
  fi
  if ! docker_ok; then
    as_root bash -c 'nohup dockerd >/var/log/dhakacart-dockerd.log 2>&1 &'
  fi
  local i
  for i in $(seq 1 60); do
    docker_ok && { info "Docker engine is up"; return 0; }
    sleep 1
  done
  die "dockerd did not start within 60 s; see /var/log/dhakacart-dockerd.log"
}

# ensure_images: build every project image whose inputs changed (tagged by input hash). First the
# pinned Go programs some images carry (tools/images/src/manifest.ts `goTools`, e.g. VictoriaLogs).
ensure_images() {
  ensure_docker
  local tools name pkg
  tools=$(cd "$REPO_ROOT" && node --import tsx tools/images/src/cli.ts go-tools) ||
    die "could not list the images' Go tools (tools/images/src/cli.ts go-tools)"
  while read -r name pkg; do
    if [[ -n "$name" ]]; then ensure_go_tool "$name" "$pkg"; fi
  done <<<"$tools"
  (cd "$REPO_ROOT" && node --import tsx tools/images/src/cli.ts build "$@")
}

# bootstrap [image...]: everything a fresh machine lacks, then the images (all by default).
bootstrap() {
  ensure_project_apt
  ensure_node_modules
  ensure_images "$@"
}

# Pinned tools outside the root npm install, cached under .cache/ (git-ignored). Each ensure_*
# installs only what is missing and prints one line when it does work.
TOOLS_BIN="${STATE_DIR}/bin"
mkdir -p "$TOOLS_BIN"
export PATH="${TOOLS_BIN}:${PATH}"

# ensure_go_tool NAME MODULE/PATH@VERSION: `go install` a pinned module into .cache/bin. The
# version is recorded next to the binary, so changing the pin rebuilds it.
ensure_go_tool() {
  local name=$1 pkg=$2 stamp="${TOOLS_BIN}/.${1}.version"
  if [[ -x "${TOOLS_BIN}/${name}" && -f "$stamp" && "$(cat "$stamp")" == "$pkg" ]]; then return 0; fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build ${name} (${pkg}); install Go 1.26"
  step "Building ${name} from the Go module proxy (${pkg})"
  local t0=$SECONDS
  GOBIN="$TOOLS_BIN" CGO_ENABLED=0 GOFLAGS=-trimpath go install "$pkg" || die "go install ${pkg} failed"
  echo "$pkg" >"$stamp"
  info "built ${TOOLS_BIN}/${name} in $((SECONDS - t0)) s"
}

# ensure_pip_tool NAME 'requirement==VERSION': a pinned Python tool in its own virtualenv under
# .cache/venvs/NAME, with its command linked into .cache/bin.
ensure_pip_tool() {
  local name=$1 req=$2 venv="${STATE_DIR}/venvs/${1}" stamp="${STATE_DIR}/venvs/.${1}.version"
  if [[ -x "${venv}/bin/${name}" && -f "$stamp" && "$(cat "$stamp")" == "$req" ]]; then
    ln -sf "${venv}/bin/${name}" "${TOOLS_BIN}/${name}"
    return 0
  fi
  step "Installing ${name} from PyPI (${req})"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (is python3-venv installed?)"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "$req" || die "pip install ${req} failed"
  echo "$req" >"$stamp"
  ln -sf "${venv}/bin/${name}" "${TOOLS_BIN}/${name}"
  info "installed ${name} into ${venv}"
}

# The load generators: Vegeta (Go, MIT) for the open-model browsing, and Artillery (npm,
# MPL-2.0) for the journeys, pinned by loadtests/tools/artillery's lockfile and kept apart from
# the root workspaces (it is 450 MB). Playwright's browser download is skipped: the lab's runs
# use Artillery's HTTP engine only.
VEGETA_MODULE=github.com/tsenart/vegeta/v12@v12.13.0
ensure_artillery() {
  local src="$REPO_ROOT/loadtests/tools/artillery" dst="$STATE_DIR/tools/artillery" want have=""
  want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-64)
  [[ -f "$dst/.installed" ]] && have=$(cat "$dst/.installed")
  if [[ "$want" == "$have" && -x "$dst/node_modules/.bin/artillery" ]]; then return 0; fi
  step "Installing Artillery (pinned by loadtests/tools/artillery) into .cache/tools/artillery"
  local t0=$SECONDS
  rm -rf "$dst" && mkdir -p "$dst"
  cp "$src/package.json" "$src/package-lock.json" "$dst/"
  (cd "$dst" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) \
    || die "npm ci of Artillery failed"
  echo "$want" >"$dst/.installed"
  info "installed Artillery $(node -p 'require(process.argv[1]).version' "$dst/node_modules/artillery/package.json") in $((SECONDS - t0)) s"
}

ensure_load_tools() {
  ensure_go_tool vegeta "$VEGETA_MODULE"
  ensure_artillery
}

# The security scanners (tools/security), pinned. gitleaks is MIT (Go module proxy), Schemathesis
# is MIT (PyPI). Changing a pin here rebuilds or reinstalls the tool on the next run.
GITLEAKS_MODULE='github.com/zricethezav/gitleaks/v8@v8.30.1'
SCHEMATHESIS_REQUIREMENT='schemathesis==4.32.5'
ensure_security_tools() {
  ensure_go_tool gitleaks "$GITLEAKS_MODULE"
  ensure_pip_tool schemathesis "$SCHEMATHESIS_REQUIREMENT"
}

#!/usr/bin/env bash
# Builds the project's base image from nothing: debootstrap minbase bookworm, imported into Docker.
# Usage: build.sh <image:tag>. No registry is needed; only the Debian mirror.
set -euo pipefail
tag="$1"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work=$(mktemp -d /var/tmp/dhakacart-base.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "    debootstrap --variant=minbase bookworm (a few minutes on first run)"
debootstrap --variant=minbase --include=ca-certificates bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log"; exit 1; }

cat >"$work/root/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
# Keep images small: no docs, man pages or apt caches.
cat >"$work/root/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'CFG'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
cat >"$work/root/etc/apt/apt.conf.d/01-small" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
CFG
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* \
  "$work/root/usr/share/doc" "$work/root/usr/share/man" "$work/root/var/log/"*

tar -C "$work/root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  --message "debootstrap --variant=minbase bookworm" - "$tag" >/dev/null

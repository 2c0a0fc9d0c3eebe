#!/bin/bash
# restore_command of an isolated restore (restore-isolated.sh): fetches one WAL file from the
# repository, or from pg_receivewal's copy under /walstream, but never past the cutoff segment:
# a drill restores what the repositories held at its moment T, not what arrived after.
set -uo pipefail
f="$1" p="$2"
# shellcheck disable=SC1091
source /run/restore/wal.env
if [[ -n "$CUTOFF" && "$f" =~ ^[0-9A-F]{24}$ && "${f:8:16}" > "${CUTOFF:8:16}" ]]; then exit 1; fi
pgbackrest --config=/run/restore/pgbackrest.conf --stanza="$STANZA" --repo="$REPO" archive-get "$f" "$p" 2>/dev/null && exit 0
if [[ -d /walstream ]]; then
  [[ -f "/walstream/$f" ]] && cp "/walstream/$f" "$p" && exit 0
  if [[ -n "$PARTIAL" && "$(basename "$PARTIAL" .partial)" == "$f" && -f "/walstream/$PARTIAL" ]]; then
    cp "/walstream/$PARTIAL" "$p" && exit 0
  fi
fi
exit 1

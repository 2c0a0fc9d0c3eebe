#!/bin/bash
# The members' archive_command: pgBackRest's archive-push, with one case it refuses made safe.
#   usage: pgbackrest-archive-push CONFIG STANZA WAL   (WAL is %p: pg_wal/<segment>, relative to
#          the data directory, where PostgreSQL runs the command)
#
# archive-push refuses (exit 45) a segment the repository already holds with different bytes,
# since on the current timeline that means two primaries wrote it (split brain). After a
# failover a member can also hold a copy of a segment from a timeline it has since left: pg_rewind
# copies such segments without their `.done` marks, and PostgreSQL marks every unmarked segment
# `.ready` once the member leads again. That copy matches the original only up to the end of its
# WAL records (past a segment switch, the rest of the file is whatever the recycled file held),
# and the repository already has the original, archived by that timeline's own leader. Refused,
# it blocks archiving behind it for good: no later WAL reaches the repository (the lab's game day
# found it: WalArchivingFailing, ADR 0302). So a refused segment from an older timeline than the
# member's own is reported and passed over; on the current timeline the refusal stands.
set -u
config=$1
stanza=$2
wal=$3
pgbackrest --config="$config" --stanza="$stanza" archive-push "$wal"
rc=$?
[[ $rc -eq 45 ]] || exit "$rc"
segment=${wal##*/}
[[ $segment =~ ^[0-9A-F]{24}$ ]] || exit "$rc"
# A primary's timeline is its newest history file's (none on timeline 1).
newest=$(ls -1 "$(dirname "$wal")" | grep -E '^[0-9A-F]{8}\.history$' | sort | tail -n 1)
[[ -n $newest ]] || exit "$rc"
segment_tli=$((16#${segment:0:8}))
current_tli=$((16#${newest:0:8}))
if ((segment_tli < current_tli)); then
  echo "pgbackrest-archive-push: WARNING: $segment is from timeline $segment_tli, which this member has left (now $current_tli); the repository keeps that timeline's original copy, archived by its leader, and this copy is passed over" >&2
  exit 0
fi
exit "$rc"

#!/bin/bash
# Starts Alertmanager without the notification log of its previous life, keeping the silences.
#
# Why: Alertmanager keeps its alerts in memory only, but persists the notification log ("the
# receivers were told that alert A is firing"). If it stops while A fires (`lab down`, a crash,
# a host reboot) and A resolves before it comes back, no resolution is ever sent, and the log
# keeps saying "A is firing, receivers know". The next real outage raises the same A, and
# Alertmanager treats it as a repeat: no page until repeat_interval (1 h) has passed. A missed
# page is far worse than a duplicate one, so a restart forgets the log: an alert still firing
# is paged once more after group_wait. Silences (the `silences` file) are kept. Production's
# Alertmanager pods (kube-prometheus-stack, no persistent volume) behave the same way.
# See docs/lab/monitoring.md ("A restarted Alertmanager pages again") and ADR 0401.
set -euo pipefail

storage=data/ # Alertmanager's own default
for arg in "$@"; do
  case "$arg" in
    --storage.path=*) storage="${arg#--storage.path=}" ;;
  esac
done

if [[ -e "$storage/nflog" ]]; then
  rm -f -- "$storage/nflog"
  echo "start.sh: forgot the previous notification log in $storage (silences kept)" >&2
fi
exec /usr/bin/prometheus-alertmanager "$@"

#!/bin/bash
# Run once by Patroni on the member that initialises the cluster, with a superuser connection
# URL as $1: creates the application's role and database. The password is read from the
# db_password secret and sent on stdin, so it is never in argv, the environment or a log.
set -euo pipefail
url="$1"
pw=$(tr -d '\n' <"${APP_DB_PASSWORD_FILE:-/run/secrets/db_password}")
[[ -n "$pw" && "$pw" != *"'"* ]] || { echo "post-bootstrap: unusable application password" >&2; exit 1; }
# `local`: the synchronous standby does not exist yet while the cluster bootstraps.
psql "$url" -v ON_ERROR_STOP=1 -q <<SQL
SET synchronous_commit = local;
SET log_statement = 'none';
CREATE ROLE dhakacart LOGIN PASSWORD '$pw';
SQL
psql "$url" -v ON_ERROR_STOP=1 -q -c 'CREATE DATABASE dhakacart OWNER dhakacart'
echo "post-bootstrap: created role and database dhakacart"

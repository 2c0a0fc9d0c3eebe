#!/bin/bash
# GET /health on Patroni's REST API: 200 while PostgreSQL is up, whatever its role.
exec 3<>/dev/tcp/127.0.0.1/8008 || exit 1
printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
# Builtins only: one process per check, no head or grep.
read -r -t 2 status <&3 && [[ $status == *' 200 '* ]]

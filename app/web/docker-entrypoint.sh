#!/bin/sh
# Prepares nginx's writable directories under /tmp and, when API_UPSTREAM is set (the local lab),
# a same-origin proxy for /api. The upstream is re-resolved every few seconds, so the API can be
# stopped, restarted on a new address and found again without restarting this container.
set -eu

mkdir -p /tmp/nginx/conf.d /tmp/nginx/client_body /tmp/nginx/proxy /tmp/nginx/fastcgi /tmp/nginx/uwsgi /tmp/nginx/scgi
rm -f /tmp/nginx/conf.d/*.conf

if [ -n "${API_UPSTREAM:-}" ]; then
  case "$API_UPSTREAM" in
    http://*) ;;
    *) echo "docker-entrypoint: API_UPSTREAM must look like http://host:port, got '$API_UPSTREAM'" >&2; exit 64 ;;
  esac
  # Only host:port characters: the value is pasted into nginx config.
  if ! printf '%s' "${API_UPSTREAM#http://}" | grep -Eq '^[A-Za-z0-9.-]+(:[0-9]{1,5})?$'; then
    echo "docker-entrypoint: API_UPSTREAM has characters other than host:port: '$API_UPSTREAM'" >&2
    exit 64
  fi
  resolver="${RESOLVER:-$(awk '/^nameserver/ { print $2; exit }' /etc/resolv.conf)}"
  case "$resolver" in *:*) resolver="[$resolver]" ;; esac
  [ -n "$resolver" ] || resolver=127.0.0.11
  cat >/tmp/nginx/conf.d/api-proxy.conf <<CONF
location /api/ {
  resolver $resolver valid=5s ipv6=off;
  set \$api_upstream $API_UPSTREAM;
  proxy_pass \$api_upstream;
  proxy_http_version 1.1;
  proxy_set_header Host \$host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  proxy_set_header X-Request-Id \$request_id;
  proxy_connect_timeout 3s;
  proxy_read_timeout 35s;
  include /etc/nginx/dhakacart/security-headers.conf;
  add_header Cache-Control "no-store" always;
}
CONF
  echo "docker-entrypoint: proxying /api to $API_UPSTREAM (resolver $resolver)" >&2
fi

exec "$@"

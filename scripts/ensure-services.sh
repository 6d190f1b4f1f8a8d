#!/usr/bin/env bash
# Makes sure the servers the integration tests talk to are up on loopback: NATS with
# JetStream on 4222 and PostgreSQL on 5432 (user postgres, trust auth). Installs them from
# Debian's packages and starts them when they are missing; leaves running ones alone.
set -euo pipefail

listening() { timeout 1 bash -c "</dev/tcp/127.0.0.1/$1" 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
wait_for() {
  for _ in $(seq 1 50); do listening "$1" && return 0; sleep 0.2; done
  echo "ensure-services: nothing listens on 127.0.0.1:$1 after starting $2" >&2
  return 1
}

if ! listening 4222; then
  command -v nats-server >/dev/null || apt_install nats-server
  as_root mkdir -p /var/lib/nats-server
  as_root start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for 4222 nats-server
  echo "ensure-services: started nats-server (JetStream) on 127.0.0.1:4222" >&2
fi

if ! listening 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Tests connect as postgres over TCP without a password, as on the CI machines.
  grep -q '^host all all 127.0.0.1/32 trust' "$hba" || as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for 5432 postgresql
  echo "ensure-services: started PostgreSQL $version on 127.0.0.1:5432" >&2
fi

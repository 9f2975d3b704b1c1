#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into the running docker compose deployment:
# checks the checksums, stops the app replicas (devices get 502 from the proxy and retry), replaces the
# aoc_v2 database (mongorestore --drop), extracts the images into the uploads volume (existing files are
# kept unless the backup has a file of the same name), then starts the app again.
# usage: scripts/restore.sh BACKUP_DIR [--yes]
set -euo pipefail
cd "$(dirname "$0")/.."

readonly DATABASE=aoc_v2
readonly UPLOAD_DIR=/data/uploads
backup="${1:?usage: scripts/restore.sh BACKUP_DIR [--yes]}"
confirmed="${2:-}"

for file in mongodb.archive.gz uploads.tar SHA256SUMS; do
  if [[ ! -f "${backup}/${file}" ]]; then
    echo "restore: ${backup}/${file} is missing; is ${backup} a directory made by scripts/backup.sh?" >&2
    exit 1
  fi
done
echo "restore: checking checksums" >&2
if ! (cd "${backup}" && sha256sum --check --quiet SHA256SUMS) >&2; then
  echo "restore: ${backup} is damaged (checksums differ); nothing was changed" >&2
  exit 1
fi

if [[ "${confirmed}" != "--yes" ]]; then
  read -r -p "This replaces database ${DATABASE} with ${backup}. Type 'restore' to go on: " answer
  if [[ "${answer}" != "restore" ]]; then
    echo "restore: cancelled" >&2
    exit 1
  fi
fi

echo "restore: stopping the app" >&2
docker compose stop app
trap 'echo "restore: starting the app" >&2; docker compose start app' EXIT

echo "restore: restoring MongoDB database ${DATABASE}" >&2
# Single quotes: the variables are the mongo container's, expanded there.
# shellcheck disable=SC2016
docker compose exec -T mongo sh -c 'exec mongorestore --quiet --username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --nsInclude '"'${DATABASE}.*'"' --drop --archive --gzip' \
  <"${backup}/mongodb.archive.gz"

echo "restore: extracting images into the uploads volume" >&2
docker compose run --rm --no-deps -T --entrypoint tar app -xf - --no-same-owner -C "${UPLOAD_DIR}" \
  <"${backup}/uploads.tar"

echo "restore: done" >&2

#!/usr/bin/env bash
# Backs up the docker compose deployment while it runs:
#   - MongoDB database aoc_v2: mongodump --archive --gzip inside the mongo container (as the root user);
#   - the uploaded images: a tar of the uploads volume, read through a running app container
#     (not compressed: the images are JPEG/PNG already).
# usage: scripts/backup.sh [BACKUP_ROOT]      (default: ./backups)
# Creates BACKUP_ROOT/<UTC time>/ with mongodb.archive.gz, uploads.tar and SHA256SUMS, and prints its path.
# The directory appears only when both parts are complete; a failed run leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly DATABASE=aoc_v2
readonly UPLOAD_DIR=/data/uploads
backup_root="${1:-backups}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="${backup_root}/${stamp}"
partial="${target}.partial"

if [[ -e "${target}" ]]; then
  echo "backup: ${target} already exists" >&2
  exit 1
fi
mkdir -p "${partial}"
trap 'rm -rf -- "${partial}"' EXIT

echo "backup: dumping MongoDB database ${DATABASE}" >&2
# Single quotes: the variables are the mongo container's, expanded there.
# shellcheck disable=SC2016
docker compose exec -T mongo sh -c 'exec mongodump --quiet --username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --db '"${DATABASE}"' --archive --gzip' \
  >"${partial}/mongodb.archive.gz"

echo "backup: archiving the uploads volume" >&2
docker compose exec -T app tar -cf - -C "${UPLOAD_DIR}" . >"${partial}/uploads.tar"

(cd "${partial}" && sha256sum mongodb.archive.gz uploads.tar >SHA256SUMS)
mv -- "${partial}" "${target}"
trap - EXIT
echo "backup: done" >&2
echo "${target}"

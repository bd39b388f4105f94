#!/usr/bin/env bash
# Sauvegarde d'e-Certif : base PostgreSQL (pg_dump -Fc) et fichiers (médias).
#   scripts/backup.sh DEST
# DEST (un répertoire vide ou inexistant) reçoit db.dump, media/ et MANIFEST.
# Lit DATABASE_URL (PostgreSQL), et soit S3_BUCKET (+ AWS_*/S3_*) pour un stockage objet,
# soit MEDIA_ROOT (par défaut var/media du projet) pour un disque local.
# Restauration : scripts/restore.sh DEST (voir docs/exploitation.md).
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "Usage : $0 DEST" >&2
    exit 2
fi
dest="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
python="${PYTHON:-python3}"

: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL à sauvegarder}"
case "$DATABASE_URL" in
    postgres://* | postgresql://* | pgsql://*) ;;
    *)
        echo "DATABASE_URL n'est pas une base PostgreSQL : sauvegarde impossible." >&2
        exit 2
        ;;
esac
# libpq accepts postgresql:// and postgres:// only.
db_url="postgresql://${DATABASE_URL#*://}"

if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
    echo "$dest n'est pas vide : choisissez un répertoire neuf pour chaque sauvegarde." >&2
    exit 2
fi
mkdir -p "$dest/media"

echo "Base de données → $dest/db.dump"
pg_dump --format=custom --no-owner --no-privileges --file="$dest/db.dump" "$db_url"

if [ -n "${S3_BUCKET:-}" ]; then
    echo "Fichiers (stockage objet $S3_BUCKET) → $dest/media"
    "$python" "$here/s3_media.py" download "$dest/media"
else
    media_root="${MEDIA_ROOT:-$project/var/media}"
    echo "Fichiers ($media_root) → $dest/media"
    if [ -d "$media_root" ]; then
        cp -a "$media_root/." "$dest/media/"
    fi
fi

files="$(find "$dest/media" -type f | wc -l)"
{
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "database=$(pg_restore --list "$dest/db.dump" | sed -n 's/^;[[:space:]]*dbname: //p')"
    echo "files=$files"
} > "$dest/MANIFEST"
echo "Sauvegarde terminée : $dest (base + $files fichier(s))."

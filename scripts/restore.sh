#!/usr/bin/env bash
# Restauration d'une sauvegarde faite par scripts/backup.sh, dans une base VIDE.
#   scripts/restore.sh SRC
# Lit DATABASE_URL (base PostgreSQL vide, créée par exemple avec createdb), et soit S3_BUCKET
# (+ AWS_*/S3_*) pour un stockage objet, soit MEDIA_ROOT (par défaut var/media du projet).
# Ensuite : python manage.py migrate (si le code est plus récent que la sauvegarde).
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "Usage : $0 SRC" >&2
    exit 2
fi
src="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
python="${PYTHON:-python3}"

: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL (vide) à remplir}"
case "$DATABASE_URL" in
    postgres://* | postgresql://* | pgsql://*) ;;
    *)
        echo "DATABASE_URL n'est pas une base PostgreSQL : restauration impossible." >&2
        exit 2
        ;;
esac
db_url="postgresql://${DATABASE_URL#*://}"

if [ ! -f "$src/db.dump" ] || [ ! -d "$src/media" ]; then
    echo "$src ne contient pas de sauvegarde (db.dump et media/ attendus)." >&2
    exit 2
fi

tables="$(psql "$db_url" --no-psqlrc -tAc \
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")"
if [ "$tables" != "0" ]; then
    echo "La base cible contient déjà $tables table(s) : restaurez dans une base vide." >&2
    exit 3
fi

echo "Base de données ← $src/db.dump"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$db_url" "$src/db.dump"

if [ -n "${S3_BUCKET:-}" ]; then
    echo "Fichiers ← $src/media (stockage objet $S3_BUCKET)"
    "$python" "$here/s3_media.py" upload "$src/media"
else
    media_root="${MEDIA_ROOT:-$project/var/media}"
    echo "Fichiers ← $src/media ($media_root)"
    mkdir -p "$media_root"
    cp -a "$src/media/." "$media_root/"
fi
echo "Restauration terminée. Lancez ensuite : python manage.py migrate --noinput"

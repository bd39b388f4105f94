"""Copy every media object between the S3 bucket (same variables as the application) and a
local directory: `download DEST` for scripts/backup.sh, `upload SRC` for scripts/restore.sh.

Objects are uploaded private (no ACL), as the application stores them.
"""

import os
import sys
from pathlib import Path

import boto3


def _env(*names):
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _bucket():
    s3 = boto3.resource(
        "s3",
        endpoint_url=_env("S3_ENDPOINT_URL"),
        region_name=_env("S3_REGION"),
        aws_access_key_id=_env("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=_env("AWS_SECRET_ACCESS_KEY"),
    )
    return s3.Bucket(_env("S3_BUCKET"))


def _prefix():
    prefix = (_env("S3_PREFIX") or "").strip("/")
    return f"{prefix}/" if prefix else ""


def download(dest):
    bucket, prefix, count = _bucket(), _prefix(), 0
    for item in bucket.objects.filter(Prefix=prefix):
        target = Path(dest) / item.key[len(prefix) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        bucket.download_file(item.key, str(target))
        count += 1
    print(f"{count} objet(s) téléchargé(s).")


def upload(src):
    bucket, prefix, count = _bucket(), _prefix(), 0
    root = Path(src)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        bucket.upload_file(str(path), prefix + path.relative_to(root).as_posix())
        count += 1
    print(f"{count} objet(s) envoyé(s).")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"download", "upload"}:
        sys.exit("Usage : s3_media.py download DEST | upload SRC")
    {"download": download, "upload": upload}[sys.argv[1]](sys.argv[2])

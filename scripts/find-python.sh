#!/bin/sh
# Prints the path of a Python >= 3.12 that actually runs: $PYTHON first, then python3.13 /
# python3.12 on PATH, then pyenv's installed versions. Exits 1 when there is none.
ok() {
    [ -n "$1" ] && "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}
for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
    if ok "$candidate"; then command -v "$candidate" || echo "$candidate"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for candidate in "$root"/versions/3.1[3-9]*/bin/python3 "$root"/versions/3.12*/bin/python3; do
    if ok "$candidate"; then echo "$candidate"; exit 0; fi
done
echo "Aucun Python >= 3.12 trouvé : installez-en un ou passez PYTHON=/chemin/vers/python3.12" >&2
exit 1

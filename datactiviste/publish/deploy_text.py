"""DEPLOY.md of a published folder: the exact commands, in French then in English.

Both languages are in the one file (a hub's admin may read either), so the text is a template
here rather than catalog messages; the commands are identical in both halves.
"""

from __future__ import annotations

from datactiviste.safety import escape_html

COMMANDS = """```sh
# {local}
WORKERS=2 HOST=127.0.0.1 PORT=8080 ./entrypoint.sh

# Google Cloud Run
gcloud run deploy datactiviste --source . --region europe-west1 --port 8080 \\
    --allow-unauthenticated --memory 1Gi --cpu 1 --concurrency 40 --set-env-vars WORKERS=1

# Fly.io
fly launch --no-deploy --copy-config --name datactiviste-hub --internal-port 8080
fly deploy
fly scale count 2

# {vps}
docker build -t datactiviste-hub .
docker run -d --restart unless-stopped -p 80:8080 -e WORKERS=$(nproc) datactiviste-hub
```"""

FRENCH = """# Publier « {title} »

Ce dossier a été écrit par `datactiviste publish`. Il contient les bases (ouvertes en lecture
seule, immuables), leurs métadonnées (titres, licence, sources, libellés des colonnes), les
réglages de protection (requêtes SQL limitées à 1,5 s, 1 000 lignes par page, pas de
téléchargement de la base, pas d'envoi de fichier), les comptes de lignes précalculés
(`inspect-data.json`), `robots.txt`, et dans `wheels/` datactiviste et toutes ses dépendances :
`docker build` n'a besoin d'aucun index de paquets.

Pour mettre à jour après une nouvelle importation : relancez la même commande
`datactiviste publish … -o CE_DOSSIER`, puis redéployez.

{commands}

## Combien d'instances ?

Voir la section « Capacity » ci-dessous (mesures de `benchmarks/classroom_load.py`).
"""

ENGLISH = """# Publishing "{title}"

This folder was written by `datactiviste publish`. It holds the databases (read-only,
immutable), their metadata (titles, licence, sources, column labels), the protections
(SQL queries stopped after 1.5 s, 1,000 rows per page, no database download, no upload), the
precomputed row counts (`inspect-data.json`), `robots.txt`, and in `wheels/` datactiviste and
every dependency: `docker build` needs no package index.

To update after a new import: run the same `datactiviste publish … -o THIS_FOLDER` again, then
deploy again.

{commands}
"""

CAPACITY = """
## Capacity / Capacité

Measured with `benchmarks/classroom_load.py --published --workers N` (datactiviste sources,
benchmarks/publish_load.md). A reader clicks about once every 10 s, so 1,000 concurrent readers
make about 100 requests/s. One worker process serves what the benchmark measures for 1 worker;
instances per 1,000 concurrent readers = 100 / (requests/s of one instance at p95 < 300 ms).
Measured on a shared 2-core machine: one 1-worker instance saturates near 44 pages/s, so about
20 pages/s at a comfortable latency: plan about 5 instances of 1 vCPU per 1,000 concurrent readers.
Un lecteur clique environ toutes les 10 s : 1 000 lecteurs simultanés font environ 100 requêtes/s ;
instances pour 1 000 lecteurs = 100 / (requêtes/s d'une instance avec p95 < 300 ms) ; mesuré :
une instance à 1 processus sature vers 44 pages/s, soit environ 20 pages/s confortables :
prévoir environ 5 instances de 1 vCPU pour 1 000 lecteurs simultanés.
"""


def deploy_markdown(title: str) -> str:
    title = escape_html(title)
    french = FRENCH.format(title=title, commands=COMMANDS.format(
        local="Sur cette machine, pour essayer", vps="Un serveur (VPS) avec Docker"))
    english = ENGLISH.format(title=title, commands=COMMANDS.format(
        local="On this machine, to try it", vps="A plain server (VPS) with Docker"))
    return french + "\n---\n\n" + english + CAPACITY

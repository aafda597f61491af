"""`datactiviste publish`: a deployment folder that runs our Datasette layer on any container host.

- `folder.py`: the folder itself (databases, metadata, settings, inspect counts, robots, Dockerfile,
  entrypoint, DEPLOY.md), rewritten in place on each run;
- `wheels.py`: our wheel and every dependency vendored, so the build needs no index;
- `asgi.py`: the app the entrypoint runs (uvicorn, 1 or more workers over one config folder);
- `deploy_text.py`: DEPLOY.md, French and English.
"""

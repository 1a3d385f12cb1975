"""Piccolo configuration module (``PICCOLO_CONF=awards.piccolo_conf``).

``DB`` is resolved lazily from :mod:`awards.db`, so the engine follows ``awards.db.configure``
and, for the ``piccolo`` command line (generating migrations), ``ANUGERAH_DATABASE_URL``.
"""

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["awards.piccolo_app"])


def __getattr__(name: str):
    if name == "DB":
        from awards import db

        return db.engine()
    raise AttributeError(name)

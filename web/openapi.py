"""The served OpenAPI: FastAPI's, with the drafts' JSON Schema as client generators read it."""

from __future__ import annotations

from typing import Any

from quanze.engine.present.draftschema import draft_schema
from quanze.web.models import STATUS_TEXT


def enums(schema: Any) -> Any:
    """A draft schema for OpenAPI: a ``oneOf`` of titled consts (the form's value labels) as one ``enum``.

    Client generators read such a ``oneOf`` as several types and refuse every value but the first;
    the Chinese labels stay, in order, as ``x-enumNames``. Other accepted spellings (``单位`` for
    ``organization``, marked ``x-quanze-alias-of``) are values of the same enum, listed after the canonical ones
    and mapped in ``x-quanze-aliases``: a generated client builds a draft with either. The field's Chinese title
    moves to ``x-title`` (generators name an enum's class by its title).
    """
    if isinstance(schema, list):
        return [enums(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: enums(v) for k, v in schema.items()}
    choices = out.get("oneOf")
    keys = {"const", "title", "x-quanze-alias-of"}
    titled = isinstance(choices, list) and choices and all(isinstance(c, dict) and set(c) <= keys for c in choices)
    if titled and all("const" in c for c in choices):
        del out["oneOf"]
        out["enum"] = [c["const"] for c in choices]
        out["x-enumNames"] = [c.get("title", str(c["const"])) for c in choices]
        if "title" in out:  # generators name the enum's class by its title: PartyType, not Party类型
            out["x-title"] = out.pop("title")
        aliases = {c["const"]: c["x-quanze-alias-of"] for c in choices if "x-quanze-alias-of" in c}
        if aliases:
            out["x-quanze-aliases"] = aliases
            said = "；".join(f"“{a}”同 {v}" for a, v in aliases.items())
            out["description"] = f"{out['description']}（也接受：{said}）" if out.get("description") else f"也接受：{said}"
    return out


def install(app: Any, service: Any, token: str | None) -> None:
    """Serve the OpenAPI of the application with the drafts' schema of its rules, the problem list as every 422,
    and the bearer scheme on /api/ when a token is set."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                           routes=app.routes, tags=app.openapi_tags)
        drafts = draft_schema(None, service.rules, ref_template="#/components/schemas/{model}")
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas.update(enums(drafts.pop("$defs", {})))
        schemas["Draft"] = enums(drafts)
        for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's {"detail"}: we answer the problem list
            schemas.pop(name, None)
        for operations in spec["paths"].values():
            for op in operations.values():
                answer = op.get("responses", {}).get("422", {})
                media = answer.get("content", {}).get("application/json", {})
                if media.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    media["schema"] = {"$ref": "#/components/schemas/Problems"}
                    answer["description"] = STATUS_TEXT[422]
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "description": "QUANZE_TOKEN 的值"}}
        if token:
            for path, operations in spec["paths"].items():
                if path.startswith("/api/"):
                    for op in operations.values():
                        op["security"] = [{"bearer": []}]
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]

"""GET /api/images/<id>: pictures operators uploaded (providers' receipts), from the database."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cabinet.services.ids import parse_id
from cabinet.services.images import load_image


async def image(request: Request) -> Response:
    # Any text is taken and checked here, so 0, -1, «abc» and ids past the integer column all get
    # the same JSON 404 as a missing picture (Starlette's int converter would pass an overflow on).
    image_id = parse_id(request.path_params["image_id"])
    found = await run_in_threadpool(load_image, image_id=image_id) if image_id is not None else None
    if found is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    etag = f'"{found.sha256[:32]}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    # An image's id never changes its bytes: browsers may keep it.
    return Response(
        found.data,
        media_type=found.content_type,
        headers={
            "ETag": etag,
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


def image_routes() -> list[Route]:
    return [Route("/api/images/{image_id}", image, methods=["GET"])]

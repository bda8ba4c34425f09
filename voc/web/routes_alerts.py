"""Alerts API: receive alerts from `voc watch`, list the board, stream changes (SSE), acknowledge/resolve."""
from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from voc.web.alerts import AlertError, sse
from voc.web.auth import require
from voc.web.config import Principal

router = APIRouter(tags=["alerts"])
KEEPALIVE_S = 15.0


@router.post("/api/alerts", status_code=201,
             summary="Receive one alert (CONTRACT.md `voc watch` alert JSON); feeder or admin",
             description="For `voc watch --sink webhook:http://HOST:PORT/api/alerts?token=FEEDER_TOKEN`. "
                         "An `Idempotency-Key` header (or the alert's alert_id) makes redelivery harmless: "
                         "a duplicate gets 200 and changes nothing.")
async def post_alert(request: Request, who: Principal = Depends(require("feeder", allow_query_token=True))):
    try:
        alert = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise HTTPException(400, "the body must be one alert as JSON") from None
    board = request.app.state.board
    try:
        conv, duplicate = await asyncio.to_thread(board.add, alert, request.headers.get("idempotency-key"))
    except AlertError as exc:
        raise HTTPException(422, str(exc)) from None
    return JSONResponse({"duplicate": duplicate, "conversation": conv}, status_code=200 if duplicate else 201)


@router.get("/api/alerts", summary="The board: conversations with alerts, open ones first, most frustrated on top")
def list_alerts(request: Request, include_resolved: bool = False, who: Principal = Depends(require("analyst"))):
    board = request.app.state.board
    return {"conversations": board.board(include_resolved), "received": board.received}


@router.post("/api/alerts/{conversation_id}/{action}", summary="Acknowledge, resolve or reopen a conversation's alerts")
def alert_action(conversation_id: str, action: str, request: Request, who: Principal = Depends(require("analyst"))):
    status = {"ack": "acknowledged", "acknowledge": "acknowledged", "resolve": "resolved", "reopen": "open"}.get(action)
    if status is None:
        raise HTTPException(404, "action must be ack, resolve or reopen")
    conv = request.app.state.board.set_status(conversation_id, status, who.name)
    if conv is None:
        raise HTTPException(404, "no alerts for this conversation")
    return conv


@router.get("/api/alerts/stream", summary="Server-sent events: `snapshot` (the board), then `alert` and `status`",
            response_class=StreamingResponse,
            description="text/event-stream. `limit` closes the stream after that many events (for scripts).")
async def stream_alerts(request: Request, limit: int | None = Query(None, ge=1),
                        include_resolved: bool = False, who: Principal = Depends(require("analyst"))):
    board = request.app.state.board
    queue = board.subscribe(asyncio.get_running_loop())

    async def events():
        n = 0
        try:
            n += 1
            yield sse("snapshot", {"conversations": board.board(include_resolved)}, n)
            while limit is None or n < limit:
                try:
                    msg = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                except asyncio.TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield ": keep-alive\n\n"
                    continue
                n += 1
                if msg["type"] == "resync":
                    yield sse("snapshot", {"conversations": board.board(include_resolved)}, n)
                else:
                    yield sse(msg["type"], msg, n)
        finally:
            board.unsubscribe(queue)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

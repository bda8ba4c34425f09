"""JSON API: analyze-text, explain, taxonomy, uploads and their jobs, settings, identity."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from voc.errors import InputError
from voc.web import preview as pv_mod
from voc.web import taxonomy
from voc.web.auth import require
from voc.web.config import Principal
from voc.web.ingest import detected_for, run_ingest

router = APIRouter()
MAX_TEXTS = 1000
CHUNK = 1 << 20


class AnalyzeIn(BaseModel):
    text: str | None = Field(None, description="One text to analyse.")
    texts: list[str] | None = Field(None, max_length=MAX_TEXTS, description=f"Up to {MAX_TEXTS} texts.")


class ExplainIn(BaseModel):
    text: str = Field(..., max_length=20000)


class IngestIn(BaseModel):
    text: str | None = Field(None, description="Column holding the feedback text.")
    id: str | None = Field(None, description="Column holding the record id (else file name:row).")
    time: str | None = Field(None, description="Column holding the time (weekly reports need one).")
    scores: dict[str, Literal["nps", "csat", "ces", "stars"]] = Field(default_factory=dict,
                                                                     description="column -> score kind")
    keep_unmasked: bool = Field(False, description="Also keep the unmasked original texts (admins only see them).")


class SettingsIn(BaseModel):
    max_upload_mb: float | None = Field(None, ge=0.01, le=10240)
    report_lang: Literal["auto", "zh", "en"] | None = None
    keep_unmasked: bool | None = None


@router.get("/api/me", tags=["admin"], summary="Who am I (name and role)")
def me(request: Request, who: Principal = Depends(require("any"))):
    return {"name": who.name, "role": who.role, "open_mode": request.app.state.cfg.open_mode}


@router.post("/api/analyze", tags=["analysis"], summary="Analyse text(s): contract records (personal data masked)")
def analyze_text(body: AnalyzeIn, request: Request, who: Principal = Depends(require("analyst"))):
    from voc.records import Feedback

    texts = body.texts if body.texts is not None else ([body.text] if body.text is not None else [])
    if not texts:
        raise HTTPException(400, "give text or texts")
    st = request.app.state
    with st.analyzer_lock:
        recs = [fb.to_contract() for fb in st.analyzer.pipe(
            Feedback(id=f"text-{i + 1}", raw_text=t) for i, t in enumerate(texts))]
    return {"records": recs, "provenance": st.analyzer.provenance}


@router.post("/api/explain", tags=["analysis"], summary="Explain one text: normalisation, tokens, every lexicon hit")
def explain_text(body: ExplainIn, request: Request, who: Principal = Depends(require("analyst"))):
    from voc.explain import explain

    st = request.app.state
    with st.analyzer_lock:
        return explain(body.text, analyzer=st.analyzer)


@router.get("/api/taxonomy", tags=["analysis"], summary="The active lexicons: groups, labels, cue counts, sample cues")
def get_taxonomy(request: Request, who: Principal = Depends(require("analyst"))):
    st = request.app.state
    if getattr(st, "taxonomy", None) is None:
        st.taxonomy = taxonomy.describe(st.analyzer.lexicons)
    return st.taxonomy


@router.post("/api/uploads", tags=["uploads"], status_code=201,
             summary="Upload a CSV/TSV/XLSX/JSON/JSONL export: columns, detected mapping, preview rows")
async def upload(request: Request, file: UploadFile = File(...), sheet: str | None = Form(None),
                 who: Principal = Depends(require("admin"))):
    st = request.app.state
    limit = int(st.settings["max_upload_mb"] * (1 << 20))
    uid, path = st.uploads.add(file.filename or "upload", who.name)
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := await file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise HTTPException(413, f"file larger than the limit of {limit:,} bytes")
                out.write(chunk)
        if size == 0:
            raise HTTPException(400, "the file is empty")
        preview = await run_in_threadpool(pv_mod.preview, path, path.name, sheet or None)
    except InputError as exc:
        st.uploads.remove(uid)
        raise HTTPException(400, str(exc)) from None
    except BaseException:
        st.uploads.remove(uid)
        raise
    st.uploads.update(uid, preview=preview, estimated_rows=preview["estimated_rows"], size=size, sheet=sheet or None)
    return {"upload_id": uid, "size": size, "keep_unmasked_default": bool(st.settings["keep_unmasked"]), **preview}


@router.post("/api/uploads/{upload_id}/ingest", tags=["uploads"], status_code=202,
             summary="Confirm the column mapping and start the analysis job")
def ingest(upload_id: str, body: IngestIn, request: Request, who: Principal = Depends(require("admin"))):
    st = request.app.state
    up = st.uploads.get(upload_id)
    if up is None or "preview" not in up:
        raise HTTPException(404, "no such upload (uploads expire after an hour; upload the file again)")
    if up.get("job"):
        raise HTTPException(409, f"this upload is already being ingested by job {up['job']}")
    pv = up["preview"]
    spec = {"sheet": up.get("sheet"), "keep_unmasked": body.keep_unmasked, "chat": pv["chat_turns"],
            "pipeline": st.cfg.pipeline, "lexicons": st.cfg.lexicons}
    if pv["chat_turns"]:
        spec.update(text_col=None, id_col=None, mapping={}, detected={})
    else:
        try:
            mapping = pv_mod.check_mapping(body.model_dump(), pv["headers"])
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
        if not mapping["text"]:
            raise HTTPException(400, "choose the column that holds the feedback text")
        spec.update(text_col=mapping["text"], id_col=mapping["id"], mapping=mapping,
                    detected=detected_for(pv["headers"], mapping["text"], mapping["id"], up["name"]))

    def done():
        st.uploads.remove(upload_id)

    job = st.jobs.submit("ingest", who.name, lambda job: run_ingest(job, st.db, up, spec, st.cfg.job_mode, on_done=done),
                         title=f"upload {up['name']}", total=up.get("estimated_rows") or None)
    st.uploads.update(upload_id, job=job.id)
    return {"job_id": job.id, "job": job.to_dict()}


@router.get("/api/jobs", tags=["uploads"], summary="Recent jobs (uploads and report builds)")
def list_jobs(request: Request, who: Principal = Depends(require("analyst"))):
    return {"jobs": [j.to_dict() for j in request.app.state.jobs.list()]}


@router.get("/api/jobs/{job_id}", tags=["uploads"], summary="A job's state and progress")
def job_status(job_id: str, request: Request, who: Principal = Depends(require("analyst"))):
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return job.to_dict()


@router.delete("/api/jobs/{job_id}", tags=["uploads"], summary="Cancel a queued or running job")
def cancel_job(job_id: str, request: Request, who: Principal = Depends(require("admin"))):
    job = request.app.state.jobs.cancel(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return job.to_dict()


@router.get("/api/settings", tags=["admin"], summary="Server settings (admin)")
def get_settings(request: Request, who: Principal = Depends(require("admin"))):
    return request.app.state.settings


@router.put("/api/settings", tags=["admin"], summary="Change server settings (admin)")
def put_settings(body: SettingsIn, request: Request, who: Principal = Depends(require("admin"))):
    st = request.app.state
    changes = {k: v for k, v in body.model_dump().items() if v is not None}
    st.db.put_settings(changes)
    st.settings.update(changes)
    return st.settings

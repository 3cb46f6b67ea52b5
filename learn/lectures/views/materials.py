"""Uploading, listing and downloading session materials."""

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from learn.errors import LearnError
from learn.extensions import db
from learn.lectures import access
from learn.lectures.forms import MaterialForm, NoteForm
from learn.lectures.materials import (
    add_file,
    add_note,
    delete_material,
    get_material,
    max_bytes,
    open_download,
)
from learn.lectures.sessions import get_session
from learn.lectures.views import bp
from learn.storage import get_storage


def _editable_session(session_id: int):
    session = get_session(session_id)
    if not access.can_edit_materials(current_user, session):
        abort(403)
    return session


def _form_page(session, material_form, note_form, error):
    return render_template(
        "lectures/materials_form.html",
        session=session,
        material_form=material_form,
        note_form=note_form,
        error=error,
        max_mb=max_bytes() // (1024 * 1024),
    ), 400


@bp.post("/sessions/<int:session_id>/materials")
def upload_material(session_id: int):
    session = _editable_session(session_id)
    form = MaterialForm()
    if not form.validate_on_submit():
        return _form_page(session, form, NoteForm(formdata=None), None)
    upload = form.file.data
    try:
        add_file(
            current_user,
            session,
            upload.stream,
            upload.filename or "资料",
            form.title.data or "",
            form.attendees_only.data,
        )
    except LearnError as exc:
        return _form_page(session, form, NoteForm(formdata=None), exc.message)
    db.session.commit()
    flash("资料已上传。", "success")
    return redirect(url_for("lectures.session_detail", session_id=session.id) + "#materials")


@bp.post("/sessions/<int:session_id>/notes")
def add_session_note(session_id: int):
    session = _editable_session(session_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _form_page(session, MaterialForm(formdata=None), form, None)
    try:
        add_note(current_user, session, form.title.data, form.text.data, form.attendees_only.data)
    except LearnError as exc:
        return _form_page(session, MaterialForm(formdata=None), form, exc.message)
    db.session.commit()
    flash("讲义笔记已添加。", "success")
    return redirect(url_for("lectures.session_detail", session_id=session.id) + "#materials")


@bp.post("/materials/<int:material_id>/delete")
def remove_material(material_id: int):
    material = get_material(material_id)
    session_id = material.session_id
    key = delete_material(current_user, material)
    db.session.commit()
    if key:
        get_storage().delete(key)
    flash("资料已删除。", "success")
    return redirect(url_for("lectures.session_detail", session_id=session_id) + "#materials")


@bp.get("/materials/<int:material_id>/download")
def download_material(material_id: int):
    download = open_download(current_user, get_material(material_id))
    response = send_file(
        download.stream,
        mimetype=download.mimetype,
        as_attachment=True,
        download_name=download.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

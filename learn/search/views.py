"""Search pages: the case search, the syntax help and the admins' vocabulary page."""

from dataclasses import dataclass, replace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learn.accounts import Role, roles_required
from learn.errors import LearnError
from learn.extensions import db
from learn.search import vocabulary_edits
from learn.search.backends.base import FACETS, Filters
from learn.search.forms import EntryActionForm, RebuildForm, SynonymForm, WordForm
from learn.search.indexer import rebuild_reason
from learn.search.outbox import pending_count
from learn.search.params import SORTS, SearchParams, parse_params
from learn.search.services import (
    FILTER_LABELS,
    SearchUnavailable,
    active_filters,
    backend,
    record_search,
    search_cases,
)
from learn.search.vocabulary import SYNONYM, WORD

bp = Blueprint("search", __name__, url_prefix="/search")


@dataclass(frozen=True)
class FacetEntry:
    value: str
    count: int
    selected: bool
    url: str


def query_args(params: SearchParams, **changes) -> dict:
    """URL arguments for ``params`` with ``changes``; lists are comma-joined."""
    f = changes.pop("filters", params.filters)
    args = {
        "q": changes.pop("q", params.q),
        "categories": ",".join(f.categories),
        "form": f.form,
        "subject_level": f.subject_level,
        "domains": ",".join(f.domains),
        "year_from": f.year_from,
        "year_to": f.year_to,
        "sort": changes.pop("sort", params.sort),
        "page": changes.pop("page", 1),
    }
    if args["sort"] == "relevance":
        args["sort"] = None
    if args["page"] == 1:
        args["page"] = None
    return {k: v for k, v in args.items() if v not in (None, "")}


def search_url(params: SearchParams, **changes) -> str:
    return url_for("search.index", **query_args(params, **changes))


def _toggled(filters: Filters, name: str, value) -> Filters:
    """Filters with ``value`` of facet ``name`` switched on or off."""
    if name in ("categories", "domains"):
        current = getattr(filters, name)
        if value in current:
            return replace(filters, **{name: tuple(v for v in current if v != value)})
        return replace(filters, **{name: (*current, value)})
    if name == "year":
        if filters.year_from == value and filters.year_to == value:
            return replace(filters, year_from=None, year_to=None)
        return replace(filters, year_from=value, year_to=value)
    if getattr(filters, name) == value:
        return replace(filters, **{name: None})
    return replace(filters, **{name: value})


def _selected(filters: Filters, name: str, value) -> bool:
    if name in ("categories", "domains"):
        return value in getattr(filters, name)
    if name == "year":
        return filters.year_from == value and filters.year_to == value
    return getattr(filters, name) == value


def _selected_values(filters: Filters, name: str) -> list:
    if name in ("categories", "domains"):
        return list(getattr(filters, name))
    if name == "year":
        same = filters.year_from is not None and filters.year_from == filters.year_to
        return [filters.year_from] if same else []
    value = getattr(filters, name)
    return [value] if value else []


def facet_groups(params: SearchParams, facets: dict) -> list[tuple[str, str, list[FacetEntry]]]:
    """(name, label, entries) for each facet, chosen values first."""
    groups = []
    for name in FACETS:
        counts = dict(facets.get(name, {}))
        for value in _selected_values(params.filters, name):
            counts.setdefault(value, 0)
        entries = [
            FacetEntry(
                str(value),
                count,
                _selected(params.filters, name, value),
                search_url(params, filters=_toggled(params.filters, name, value)),
            )
            for value, count in counts.items()
        ]
        entries.sort(key=lambda e: not e.selected)
        groups.append((name, FILTER_LABELS[name], entries))
    return groups


@bp.get("/")
def index():
    params, problems = parse_params(request.args, strict=False)
    outcome, unavailable = None, None
    try:
        outcome = search_cases(current_user, params)
    except SearchUnavailable as exc:
        unavailable = exc.message
    if outcome is not None and outcome.total and params.page > outcome.pages:
        return redirect(search_url(params, page=outcome.pages))
    record_search(current_user, params, outcome, via="检索页")
    db.session.commit()
    chips = [
        (label, search_url(params, filters=params.filters.without(name, value)))
        for name, value, label in active_filters(params.filters)
    ]
    return render_template(
        "search/index.html",
        params=params,
        outcome=outcome,
        problems=problems,
        unavailable=unavailable,
        facets=facet_groups(params, outcome.facets) if outcome else [],
        chips=chips,
        clear_filters_url=search_url(params, filters=Filters()),
        sorts=SORTS,
        search_url=search_url,
        query_args=query_args,
    ), (503 if unavailable else 200)


@bp.get("/help")
def syntax_help():
    return render_template("search/help.html")


def _vocabulary_page(word_form=None, synonym_form=None, status=200):
    words, synonyms = vocabulary_edits.vocabulary_entries()
    b = backend()
    return render_template(
        "search/vocabulary.html",
        words=words,
        synonyms=synonyms,
        word_form=word_form or WordForm(),
        synonym_form=synonym_form or SynonymForm(),
        action_form=EntryActionForm(),
        rebuild_form=RebuildForm(),
        index_status=b.status(),
        backend_name=b.name,
        rebuild_reason=rebuild_reason(b),
        pending=pending_count(),
        kinds={"word": WORD, "synonym": SYNONYM},
    ), status


@bp.get("/vocabulary")
@roles_required(Role.ADMIN)
def vocabulary():
    return _vocabulary_page()


def _apply(edit, *args) -> bool:
    try:
        edit(current_user, *args)
    except LearnError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return False
    db.session.commit()
    flash("已保存。检索索引将在几秒内按新的词库自动重建。", "success")
    return True


@bp.post("/vocabulary/words")
@roles_required(Role.ADMIN)
def add_word():
    form = WordForm()
    if not form.validate_on_submit():
        return _vocabulary_page(word_form=form, status=400)
    _apply(vocabulary_edits.add_word, form.term.data)
    return redirect(url_for("search.vocabulary") + "#words")


@bp.post("/vocabulary/synonyms")
@roles_required(Role.ADMIN)
def save_synonym():
    form = SynonymForm()
    if not form.validate_on_submit():
        return _vocabulary_page(synonym_form=form, status=400)
    _apply(vocabulary_edits.save_synonym, form.term.data, form.expansions.data, form.two_way.data)
    return redirect(url_for("search.vocabulary") + "#synonyms")


@bp.post("/vocabulary/remove")
@roles_required(Role.ADMIN)
def remove_entry():
    form = EntryActionForm()
    if form.validate_on_submit() and form.kind.data in (WORD, SYNONYM):
        if form.kind.data == WORD:
            _apply(vocabulary_edits.remove_word, form.term.data)
        else:
            _apply(vocabulary_edits.remove_synonym, form.term.data)
    else:
        flash("请求不完整，请刷新页面后重试。", "error")
    return redirect(url_for("search.vocabulary"))


@bp.post("/vocabulary/restore")
@roles_required(Role.ADMIN)
def restore_entry():
    form = EntryActionForm()
    if form.validate_on_submit() and form.kind.data in (WORD, SYNONYM):
        _apply(vocabulary_edits.restore_shipped, form.kind.data, form.term.data)
    else:
        flash("请求不完整，请刷新页面后重试。", "error")
    return redirect(url_for("search.vocabulary"))


@bp.post("/vocabulary/rebuild")
@roles_required(Role.ADMIN)
def rebuild():
    if RebuildForm().validate_on_submit():
        vocabulary_edits.request_rebuild(current_user)
        db.session.commit()
        flash("已请求重建检索索引，几秒后生效；期间检索照常可用。", "success")
    return redirect(url_for("search.vocabulary"))

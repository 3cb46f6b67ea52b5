"""Read the forms of a served page the way a browser would submit them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """One ``<form>``: its action and the name/value pairs a browser would send as-is."""

    action: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)  # radio/checkbox values by name

    def names(self) -> set[str]:
        return {name for name, _ in self.fields} | set(self.choices)

    def values(self, **changes) -> dict[str, str | list[str]]:
        """The submitted data with ``changes`` replacing fields of the same name."""
        data: dict[str, str | list[str]] = {}
        for name, value in self.fields:
            if name in data:
                previous = data[name]
                data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                data[name] = value
        data.update(changes)
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "form":
            self._form = Form(attr.get("action"))
            self.forms.append(self._form)
        elif self._form is None or ("name" not in attr and tag != "option"):
            return
        elif tag == "input":
            self._input(attr)
        elif tag == "textarea":
            self._textarea, self._text = attr["name"], []
        elif tag == "select":
            self._select, self._options = attr["name"], []
        elif tag == "option" and self._select:
            self._options.append((attr.get("value") or "", "selected" in attr))

    def _input(self, attr):
        kind = (attr.get("type") or "text").lower()
        name = attr["name"]
        if kind in ("radio", "checkbox"):
            self._form.choices.setdefault(name, []).append(attr.get("value") or "on")
            if "checked" in attr:
                self._form.fields.append((name, attr.get("value") or "on"))
        elif kind not in ("submit", "button", "file", "image", "reset"):
            self._form.fields.append((name, attr.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            text = "".join(self._text)
            self._form.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._select = None


def forms_of(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def form_with(page: str, field_name: str) -> Form:
    """The first form on ``page`` that has a field called ``field_name``."""
    for form in forms_of(page):
        if field_name in form.names():
            return form
    raise AssertionError(f"no form with a field {field_name!r} on the page")

"""A create form: each field is an az flag, and the az command is built and shown as the student fills
it in. Nothing runs until they press Run; the line then runs like a typed one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ..actions import Form


def _widget_id(flag: str) -> str:
    return "f" + flag.replace("-", "_")


class FormScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical { width: 90; max-width: 98%; height: 90%; border: thick $accent; background: $surface;
                            padding: 0 1; }
    FormScreen #form-title { text-style: bold; margin: 0 0 1 0; }
    FormScreen VerticalScroll { height: 1fr; }
    FormScreen #form-keys { color: $text-muted; }
    FormScreen .field { height: auto; }
    FormScreen .field Label { margin: 1 0 0 0; color: $text-muted; }
    /* Which field the keys go to: its label stands out, not only the input's border. The rule on the
       field itself is needed too: Textual restyles on a focus change only below a node that has one. */
    FormScreen .field:focus-within { background: $accent 8%; }
    FormScreen .field:focus-within Label { color: $accent; text-style: bold; }
    FormScreen #form-line { border: round $accent 50%; height: auto; padding: 0 1; }
    FormScreen #form-missing { color: $warning; height: auto; }
    FormScreen Horizontal { height: auto; align-horizontal: right; }
    FormScreen Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("ctrl+r", "run", "Run")]

    def __init__(self, form: Form):
        super().__init__()
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form.title, id="form-title")
            if self.form.explanation:
                yield Static(Text(self.form.explanation, "italic"))
            yield Static("tab / shift+tab: next / previous field · ctrl+r: run · esc: cancel", id="form-keys")
            with VerticalScroll():
                for field in self.form.fields:
                    label = field.label + (" *" if field.required else "")
                    if field.switch:
                        yield Checkbox(label, value=field.default == "true", id=_widget_id(field.flag))
                        continue
                    with Vertical(classes="field"):
                        yield Label(f"{label}   {field.flag}")
                        if field.choices:
                            options = [(c or "(none)", c) for c in field.choices]
                            default = field.default if field.default in field.choices else Select.BLANK
                            yield Select(options, value=default, allow_blank=not field.required,
                                         id=_widget_id(field.flag))
                        else:
                            yield Input(field.default, placeholder=field.help or field.label,
                                        id=_widget_id(field.flag))
            yield Static(id="form-line")
            yield Static(id="form-missing")
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Run (ctrl+r)", id="run", variant="primary")

    def on_mount(self) -> None:
        self.update_line()
        first_empty = next((self.query_one(f"#{_widget_id(f.flag)}") for f in self.form.fields
                            if not f.default and not f.switch), None)
        (first_empty or self.query(Input).first()).focus()

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for field in self.form.fields:
            widget = self.query_one(f"#{_widget_id(field.flag)}")
            if isinstance(widget, Checkbox):
                found[field.flag] = "true" if widget.value else "false"
            elif isinstance(widget, Select):
                found[field.flag] = "" if widget.value is Select.BLANK else str(widget.value)
            else:
                found[field.flag] = widget.value
        return found

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def update_line(self) -> None:
        values = self.values()
        self.query_one("#form-line", Static).update(Text(f"$ {self.form.line(values)}", "bold"))
        missing = self.form.missing(values)
        self.query_one("#form-missing", Static).update(f"Still to fill in: {', '.join(missing)}" if missing else "")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "run":
            self.action_run()
        else:
            self.dismiss(None)

    def action_run(self) -> None:
        values = self.values()
        if self.form.missing(values):
            self.notify("Fill in the fields marked * first.", severity="warning")
            return
        self.dismiss(self.form.line(values))

"""The az command line: completion of command groups, commands, flags and values from the World
(shown as you type, taken with tab or →), and history on ↑/↓. `:vm` jumps and `/text` filters are
typed here too, as in the terminal resource browsers students may know."""

from __future__ import annotations

from typing import Callable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input, Static
from textual.widgets._input import Selection

from ..completion import Completion

MAX_SHOWN = 12


class CommandLine(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "Previous command", show=False),
        Binding("down", "history(1)", "Next command", show=False),
        Binding("tab", "complete", "Complete", show=False),
    ]

    # Input sets its virtual size on every key, and as a Widget reactive that lays the whole screen out
    # again: the largest part of a key's cost (a classroom of 50 typing needed 2.8 cores). One line that
    # scrolls sideways within itself needs its text row drawn again, which the value's change does.
    virtual_size = Reactive(Size(0, 0), repaint=False)
    # A key sets the value, the selection (twice) and the suggestion. As Input has them, each set repaints
    # the whole widget (the border rows too) and drops its styles, which are then worked out again from
    # the DOM. Here they draw the text row alone (``_draw_row``), with styles kept until they change.
    value = Reactive("", init=False, repaint=False)
    selection = Reactive(Selection.cursor(0), repaint=False)
    _suggestion = Reactive("", repaint=False)
    _cursor_visible = Reactive(True, repaint=False)
    BLINK = True        # a remote session turns it off: a blinking cursor is a frame sent twice a second

    def __init__(self, complete: Callable[[str], Completion], show: Callable[[Completion | None], None], *,
                 id: str | None = None):
        """``complete`` works out the candidates for a line; ``show`` puts them on screen. A call, not a
        message: a message was handled after the frame that drew the key, so every key cost two frames."""
        super().__init__(placeholder="az vm list -o table   ·   tab completes · ↑ history · :vm jumps · /text filters",
                         id=id, select_on_focus=False)
        self.cursor_blink = self.BLINK
        self._complete = complete
        self._show = show
        self.history: list[str] = []
        self._position = 0
        self._draft = ""
        self._looks: tuple[Style, Style, Style] | None = None       # whole line, cursor, suggestion

    async def _on_key(self, event: events.Key) -> None:
        """Enter, tab and the arrows act where they fall among the typed characters. Over SSH, or in a
        paste, keys arrive together; as bindings they would run only after the characters that followed
        them (`...-o table⏎echo hi` ran `-o tableecho hi`)."""
        acts = {"enter": self._submit_now, "tab": self.action_complete,
                "up": lambda: self.action_history(-1), "down": lambda: self.action_history(1)}
        act = acts.get(event.key)
        if act is not None:
            event.stop()
            event.prevent_default()
            act()

    def post_message(self, message: Message) -> bool:
        # Nothing listens for the command line's Changed: posted at every key, it went up through
        # every container to the app for nothing.
        if isinstance(message, Input.Changed):
            return False
        return super().post_message(message)

    def _submit_now(self) -> None:
        line, self.value = self.value, ""
        self.post_message(self.Submitted(self, line))

    def watch_value(self, value: str) -> None:
        """The candidates and the ghost suggestion for what is typed, worked out at once: a Suggester
        starts a worker on every key, which was a third of what a key cost."""
        completion = None if not value or value.startswith((":", "/")) else self._complete(value)
        suggestion = ""
        if completion is not None and completion.candidates and completion.prefix:
            suggestion = completion.applied(value, completion.candidates[0]).rstrip(" ")
        self._suggestion = suggestion
        self._show(completion)
        self._draw_row()

    # --- drawing the text row alone -------------------------------------------------------------------
    def _draw_row(self, *_: object) -> None:
        self.refresh(Region(0, 0, self.content_size.width, 1))

    watch_selection = watch__suggestion = watch__cursor_visible = _draw_row

    def _watch_selection(self, selection: Selection) -> None:
        """Input's own, less what a command line does not need at every key: clearing a text selection
        made with the mouse elsewhere (only when there is one) and scrolling to a cursor already in view."""
        if self.app.screen.selections:
            self.app.clear_selection()
        self.app.cursor_position = self.cursor_screen_offset
        if self._initial_value:
            return
        offset = self._cursor_offset
        if not self.scroll_x <= offset < self.scroll_x + self.scrollable_content_region.width:
            self.scroll_to_region(Region(offset, 0, width=1, height=1), force=True, animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._looks = None

    def render_line(self, y: int) -> Strip:
        """Input's line, drawn from segments with styles kept between keys. Input's own drawing (through
        a Rich console) stays for what is not typed plain: the placeholder, a selection, tabs, wide
        characters."""
        value = self.value
        if y != 0 or not value or not self.selection.is_empty or not value.isascii() or not value.isprintable():
            return super().render_line(y)
        if self._looks is None:
            self._looks = (self.rich_style, self.get_component_rich_style("input--cursor"),
                           self.get_component_rich_style("input--suggestion"))
        line_style, cursor_style, suggestion_style = self._looks
        suggestion = self._suggestion
        focused = self.has_focus
        show_suggestion = focused and len(suggestion) > len(value)
        text = value + suggestion[len(value):] if show_suggestion else value
        cursor = self.cursor_position if focused and self._cursor_visible else -1
        if cursor >= len(text):
            text += " "
        plain_end = len(value) if show_suggestion else len(text)
        segments = [Segment(part, style) for part, style in self._runs(text, plain_end, cursor,
                                                                          suggestion_style, cursor_style) if part]
        width = self.scrollable_content_region.width + 1
        scroll_x = self.scroll_offset.x
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width).apply_style(line_style)

    @staticmethod
    def _runs(text: str, plain_end: int, cursor: int, suggestion_style: Style,
              cursor_style: Style) -> list[tuple[str, Style | None]]:
        """The line as (text, style) runs: typed text, then the ghost suggestion, with the cursor's cell
        over either (its style added to what is under it)."""
        runs: list[tuple[str, Style | None]] = []
        for start, end, style in ((0, plain_end, None), (plain_end, len(text), suggestion_style)):
            if start <= cursor < end:
                runs += [(text[start:cursor], style),
                         (text[cursor], style + cursor_style if style else cursor_style),
                         (text[cursor + 1:end], style)]
            else:
                runs.append((text[start:end], style))
        return runs

    def remember(self, line: str) -> None:
        if line and (not self.history or self.history[-1] != line):
            self.history.append(line)
        self._position = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        self._position = max(0, min(len(self.history), self._position + step))
        self.value = self.history[self._position] if self._position < len(self.history) else self._draft
        self.cursor_position = len(self.value)

    def action_complete(self) -> None:
        """Take the completion: the single fitting word, or the longest prefix the candidates share."""
        if not self.value:
            self.screen.focus_next()
            return
        completion = self._complete(self.value)
        candidates = completion.candidates
        if not candidates:
            return
        if len(candidates) == 1:
            self.value = completion.applied(self.value, candidates[0])
        else:
            shared = candidates[0]
            for candidate in candidates[1:]:
                while not candidate.startswith(shared):
                    shared = shared[:-1]
            if len(shared) > len(completion.prefix):
                self.value = self.value[:completion.start] + shared
        self.cursor_position = len(self.value)


class CompletionHint(Static):
    """The candidates for the word being typed, under the command line."""

    DEFAULT_CSS = """
    CompletionHint { height: 1; color: $text-muted; padding: 0 1; }
    """
    _shown: tuple[tuple[str, ...], int] = ((), 0)

    def show(self, completion: Completion | None) -> None:
        """Drawn again only when the candidates change, not at every key: marking the typed part of
        each one made every key redraw this line, a quarter of what a key cost (50 students share
        two cores). One line of fixed height: no layout of the screen for it."""
        candidates = tuple(completion.candidates[:MAX_SHOWN]) if completion is not None else ()
        more = len(completion.candidates) - MAX_SHOWN if completion is not None else 0
        if (candidates, more) == self._shown:
            return
        self._shown = (candidates, more)
        self.update(Content.assemble("  ".join(candidates), ("  … " + str(more) + " more", "dim") if more > 0 else ""),
                    layout=False)

// The playground's program editor: CodeMirror 6 with Soufflé-dialect Datalog
// highlighting (directives, comments, strings, numbers, relation names before
// their arguments, lattice and functor calls) and the check's diagnostics
// underlined in place, each with its message and notes.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic as LintDiagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import type { PageDiagnostic } from "./protocol.js";

interface Mode {
  comment: boolean;
}

const datalog = StreamLanguage.define<Mode>({
  name: "datalog",
  startState: () => ({ comment: false }),
  token(stream, state) {
    if (state.comment) {
      if (stream.skipTo("*/")) {
        stream.match("*/");
        state.comment = false;
      } else stream.skipToEnd();
      return "comment";
    }
    if (stream.eatSpace()) return null;
    if (stream.match("//")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match("/*")) {
      state.comment = true;
      return "comment";
    }
    if (stream.match(/^#\s*\w+/)) return "meta";
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^\.\w+/)) return "keyword";
    if (stream.match(/^(?:0x[0-9a-fA-F]+|0b[01]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)u?/)) return "number";
    if (stream.match(/^@\w+/)) return "macroName";
    if (stream.match(/^(?:count|sum|min|max|mean|range|nil|band|bor|bxor|bnot|bshl|bshr|land|lor|lnot|as)\b/)) return "operatorKeyword";
    if (stream.match(/^[A-Za-z_?][\w?]*(?=\s*\()/)) return "typeName";
    if (stream.match(/^[A-Za-z_?][\w?]*/)) return "variableName";
    if (stream.match(":-") || stream.match("<:") || stream.match("->")) return "operator";
    stream.next();
    return "punctuation";
  },
  languageData: { commentTokens: { line: "//", block: { open: "/*", close: "*/" } } },
});

const colours = HighlightStyle.define([
  { tag: tags.comment, color: "#6e7781", fontStyle: "italic" },
  { tag: tags.keyword, color: "#cf222e", fontWeight: "bold" },
  { tag: tags.meta, color: "#8250df" },
  { tag: tags.string, color: "#0a3069" },
  { tag: tags.number, color: "#0550ae" },
  { tag: tags.typeName, color: "#953800", fontWeight: "bold" },
  { tag: tags.operatorKeyword, color: "#8250df" },
  { tag: tags.macroName, color: "#8250df" },
  { tag: tags.operator, color: "#cf222e" },
]);

export interface ProgramEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Shows the diagnostics of `file` in place (the others belong to facts). */
  showDiagnostics(ds: readonly PageDiagnostic[], file: string): void;
}

export function programEditor(parent: HTMLElement, onChange: () => void): ProgramEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        lintGutter(),
        datalog,
        syntaxHighlighting(colours),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange();
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    showDiagnostics(ds, file) {
      const length = view.state.doc.length;
      const shown: LintDiagnostic[] = [];
      for (const d of ds) {
        if (d.file !== file || d.from === undefined) continue;
        const from = Math.min(d.from, length);
        const to = Math.min(Math.max(d.to ?? from, from), length);
        const notes = d.notes.length > 0 ? `\n${d.notes.map((n) => `note: ${n}`).join("\n")}` : "";
        shown.push({ from, to, severity: d.severity, source: d.code, message: `${d.message}${notes}` });
      }
      view.dispatch(setDiagnostics(view.state, shown));
    },
  };
}

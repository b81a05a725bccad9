// A union-find over type nodes, each class carrying the set of base types it
// may still have (a bit mask) and where that set last narrowed, so that a
// clash can say both types and where each came from.

import { error, type Diagnostic, type Note } from "../diagnostics.js";
import type { BaseType } from "../model.js";
import type { Span } from "../span.js";
import { ANY, describeMask, pick } from "./functors.js";

interface Origin {
  readonly subject: string;
  readonly span: Span;
  readonly because: string;
}

export class TypeSolver {
  private readonly parent: number[] = [];
  private readonly masks: number[] = [];
  private readonly origins: (Origin | undefined)[] = [];
  private readonly subjects: string[] = [];
  private readonly spans: Span[] = [];

  constructor(private readonly diagnostics: Diagnostic[]) {}

  /** A new node: `subject` names it in messages ("variable "x"", "the result of strlen"). */
  node(subject: string, span: Span, mask = ANY, because?: string): number {
    const n = this.parent.length;
    this.parent.push(n);
    this.masks.push(mask);
    this.origins.push(because === undefined ? undefined : { subject, span, because });
    this.subjects.push(subject);
    this.spans.push(span);
    return n;
  }

  private find(n: number): number {
    let r = n;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[n] !== r) {
      const next = this.parent[n]!;
      this.parent[n] = r;
      n = next;
    }
    return r;
  }

  mask(n: number): number {
    return this.masks[this.find(n)]!;
  }

  type(n: number): BaseType {
    return pick(this.mask(n));
  }

  /** A note saying where the types of class `r` come from (none when that is the very node reported on). */
  private why(r: number, at?: Span): Note[] {
    const o = this.origins[r];
    if (!o || o.span === at) return [];
    return [{ message: `${o.subject} is ${describeMask(this.masks[r]!)} here, because ${o.because}`, span: o.span }];
  }

  /**
   * Narrows `n` to `mask`; `because` completes "…, but ___" in the error and "…, because ___" in notes,
   * e.g. `argument 1 of strlen must be symbol`. Reports and leaves `n` alone on a clash.
   */
  restrict(n: number, mask: number, because: string): boolean {
    const r = this.find(n);
    const have = this.masks[r]!;
    const meet = have & mask;
    if (meet === 0) {
      this.diagnostics.push(
        error(
          "type-mismatch",
          `type mismatch: ${this.subjects[n]} is ${describeMask(have)}, but ${because}`,
          this.spans[n],
          this.why(r, this.spans[n]),
        ),
      );
      return false;
    }
    if (meet !== have) {
      this.masks[r] = meet;
      this.origins[r] = { subject: this.subjects[n]!, span: this.spans[n]!, because };
    }
    return true;
  }

  /** Makes `a` and `b` one type; on a clash reports `message(typeOfA, typeOfB)` at `span`. */
  unify(a: number, b: number, span: Span, message?: (ta: string, tb: string) => string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const ma = this.masks[ra]!;
    const mb = this.masks[rb]!;
    const meet = ma & mb;
    if (meet === 0) {
      const text = message
        ? message(describeMask(ma), describeMask(mb))
        : `${this.subjects[a]} is ${describeMask(ma)}, but ${this.subjects[b]} is ${describeMask(mb)}`;
      this.diagnostics.push(error("type-mismatch", `type mismatch: ${text}`, span, [...this.why(ra), ...this.why(rb)]));
      return false;
    }
    this.parent[rb] = ra;
    if (meet !== ma && meet === mb) this.origins[ra] = this.origins[rb];
    else if (meet !== ma && meet !== mb) this.origins[ra] = this.origins[ra] ?? this.origins[rb];
    this.masks[ra] = meet;
    return true;
  }
}

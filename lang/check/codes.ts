// The codes of the diagnostics the checks report, each with what it means:
// stable identifiers for tools, tests and the README.

export const CHECK_CODES: Readonly<Record<string, string>> = {
  // declarations
  "duplicate-relation": "a relation is declared twice",
  "duplicate-attribute": "two columns of a relation have the same name",
  "duplicate-qualifier": "a qualifier is given twice in one declaration",
  "name-clash": "a relation has the name of a type",
  "undeclared-relation": "an atom, negation, aggregate or directive names a relation that is not declared",
  "arity-mismatch": "an atom has more or fewer arguments than its relation has columns",
  "bad-inline":
    "an inline relation that is input or output, that depends on itself through inline relations only, or that is negated with `_` or with rules that have variables of their own",
  "bad-choice-domain": "a choice-domain names a column the relation does not have",
  "bad-eqrel": "an eqrel relation is not binary, or its two columns have different types",
  "no-rules": "(warning) a relation has no rules, no facts and no input, so it is empty",
  "magic-unknown-relation": '(warning) .pragma "magic-transform" or "magic-transform-exclude" names a relation that is not declared',
  "unknown-component": "a .init or a component's base names a component that is not declared (in scope)",
  "component-arguments": "a component is given more or fewer type arguments than it has parameters",
  "component-cycle": "a component instantiates or inherits itself, directly or through others",
  "bad-plan":
    "a .plan names a version the rule does not have, does not order every atom exactly once, or follows a rule that is not recursive",
  "bad-override": ".override outside a component, of a relation no base declares, or of one not declared overridable",
  // types
  "duplicate-type": "a type is declared twice, or a predefined type is redeclared",
  "unknown-type": "a type name that is neither predefined nor declared",
  "type-cycle": "a type is defined in terms of itself",
  "mixed-union": "a union type's members have different base types",
  "subtype-of-union": "a subtype is derived from a union type",
  "type-mismatch": "a term's type clashes with what its context needs, or a value does not fit a column's subtype",
  "constant-out-of-range": "a number constant does not fit its 32-bit domain",
  "unknown-functor": "a functor that does not exist, or a user functor @f without a .functor declaration",
  "functor-arity": "a functor is given the wrong number of arguments",
  "duplicate-functor": "a .functor is declared twice",
  "missing-functor": "(cairn run) a .functor has no implementation: --functors FILE must export a function of its name",
  "bad-aggregate": "count with a target, or sum/min/max/mean without one",
  "mutually-dependent-aggregates": "two aggregates of a rule's body each read a variable that only the other's body binds",
  // records and algebraic data types
  "duplicate-branch": "two branches of algebraic data types have the same name",
  "record-arity": "a record term has more or fewer fields than its record type",
  "record-type":
    "a record or nil where a value of another type is expected, or a record or branch value as an operand of arithmetic or a functor",
  "unknown-constructor": "a $Branch(…) names no branch of any algebraic data type",
  "branch-arity": "a $Branch(…) is given more or fewer arguments than its branch has fields",
  "branch-type": "a $Branch(…) where a value of another type is expected",
  // lattices
  "lattice-column-position": "a lattice type in a column other than the last (the other columns are the key)",
  "unknown-lattice": "a lattice type whose name is neither a built-in lattice nor declared with .lattice",
  "bad-lattice-type": "a lattice type with the wrong number or kind of arguments, e.g. max<symbol>, pair<number, …>",
  "bad-lattice": "a .lattice declaration without Bottom or Lub, with an operation given twice, or with badly formed operations",
  "duplicate-lattice": "a .lattice is declared twice for one type",
  "lattice-law": "a user lattice's Lub is not associative, commutative or idempotent, or Bottom is not its identity, on sample values",
  "bad-subsumption":
    "a subsumption on a relation that already has a lattice column or a non-numeric last column, or two subsumptions that keep opposite ends",
  "non-monotone-head": "a function that is not monotone applied to a lattice value in the lattice column of a head",
  // binding
  "ungrounded-variable": "a variable is not bound by a positive atom or an equality with a bound term",
  "non-constant-fact": "a fact holds a variable or autoinc()",
  "wildcard-in-head": "`_` in the head of a rule",
  "range-misplaced": "range(…) somewhere else than as one side of an equality in a rule or aggregate body",
  "wildcard-misplaced": "`_` somewhere else than as an argument of an atom or a side of an equality",
  "aggregate-witness":
    "a variable is bound only inside an aggregate that cannot export it: a count, sum or mean, an aggregate of the head, or a min/max nested in another aggregate that reads that aggregate's variables",
  "single-use-variable": "(warning) a variable occurs only once in a clause",
  "singleton-reused": "(warning) a `_x` variable occurs more than once",
  // stratification
  "negation-in-recursion": "a relation depends on the negation of a relation of its own recursive cycle",
  "aggregate-in-recursion": "a relation aggregates over a relation of its own recursive cycle",
  "autoinc-in-recursion": "autoinc() in a recursive rule",
  "exact-read-in-recursion": "a rule reads a lattice value exactly (a freeze point) from a relation of its own recursive cycle",
  // directives
  "bad-directive": "an IO directive with a bad parameter",
  "duplicate-directive": "printsize requested twice for one relation",
  "duplicate-output": "two .outputs write one file (by the file name they give, in the output folder)",
  "unknown-io-param": "(warning) an IO parameter Cairn does not know, ignored",
  unsupported: "a feature of Soufflé that Cairn does not have (sqlite or json IO, compress)",
};

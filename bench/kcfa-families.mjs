// CPS program families that scale, for the k-CFA benchmarks and tests: a chain of
// calls to one identity, wrappers around an identity (each more k makes one more
// precise), Van Horn and Mairson's worst case. `node bench/kcfa-families.mjs FAMILY N [M]`.

/**
 * `n` calls of one identity in sequence, each passing a fresh lambda and a
 * continuation that makes the next call. 0-CFA merges them all: every r_i gets
 * all n lambdas (a store of about n² tuples); with k >= 1 each r_i gets one.
 */
export function chain(n) {
  const lines = ["(let ((id (lambda (x k) (k x))))"];
  for (let i = 1; i <= n; i++) lines.push(`(id (lambda (z${i}) (halt z${i})) (lambda (r${i})`);
  lines.push(`(halt r${n})`);
  return lines.join("\n") + ")".repeat(2 * n + 1) + "\n";
}

/**
 * Wrappers w_1 … w_m around an identity w_0 (w_j calls w_{j-1}), then for each
 * j two calls of w_j in sequence, `uses` times over. The two calls of w_j are told
 * apart exactly when k > j: each more k makes one more wrapper precise.
 */
export function wrappers(m, uses = 1) {
  const out = ["(let ((w0 (lambda (x0 c0) (c0 x0))))"];
  for (let j = 1; j <= m; j++) out.push(`(let ((w${j} (lambda (x${j} c${j}) (w${j - 1} x${j} c${j}))))`);
  let open = m + 1;
  let last = "";
  for (let u = 1; u <= uses; u++) {
    for (let j = 0; j <= m; j++) {
      const s = `${j}_${u}`;
      out.push(`(w${j} (lambda (a${s}) (halt a${s})) (lambda (p${s})`);
      out.push(` (w${j} (lambda (b${s}) (halt b${s})) (lambda (q${s})`);
      open += 4;
      last = `q${s}`;
    }
  }
  out.push(`(halt ${last})`);
  return out.join("\n") + ")".repeat(open) + "\n";
}

/**
 * Van Horn and Mairson's term (ICFP'07) in CPS: f_i is applied to two lambdas,
 * binding x_i at two call sites; the innermost call sees all n of them, in 2^n
 * environments with per-variable environments and k >= 1.
 */
export function vanHornMairson(n) {
  const body = (i, cont) => {
    if (i > n) {
      const xs = Array.from({ length: n }, (_, j) => `x${j + 1}`).join(" ");
      const ys = Array.from({ length: n }, (_, j) => `y${j + 1}`).join(" ");
      return `((lambda (z) (z ${xs} ${cont})) (lambda (${ys} kk) (kk y1)))`;
    }
    return (
      `((lambda (f${i}) (f${i} (lambda (t${i}) (halt t${i})) (lambda (u${i}) (f${i} (lambda (e${i}) (halt e${i})) ${cont}))))\n` +
      ` (lambda (x${i} c${i}) ${body(i + 1, `c${i}`)}))`
    );
  };
  return body(1, "halt") + "\n";
}

export const FAMILIES = { chain, wrappers, vhm: vanHornMairson };

if (import.meta.url === `file://${process.argv[1]}`) {
  const [family, n, m] = process.argv.slice(2);
  const gen = FAMILIES[family];
  if (!gen || !n) {
    process.stderr.write(`usage: node bench/kcfa-families.mjs ${Object.keys(FAMILIES).join("|")} N [M]\n`);
    process.exit(2);
  }
  process.stdout.write(gen(Number(n), m === undefined ? undefined : Number(m)));
}

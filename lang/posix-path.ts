// Minimal POSIX path arithmetic for resolving includes (lang/ must not use
// node:path, so that it also runs in a browser).

/** `a/b/../c/./d` → `a/c/d`; keeps a leading `/` and leading `..` segments; `""` → `.`. */
export function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part !== ".." || !absolute) out.push(part);
  }
  const joined = out.join("/");
  if (absolute) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** The directory part of `path`: `a/b.dl` → `a`, `b.dl` → `.`, `/b.dl` → `/`. */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return ".";
  if (i === 0) return "/";
  return path.slice(0, i);
}

/** `base` joined with `rel`, normalised; an absolute `rel` wins. */
export function join(base: string, rel: string): string {
  if (rel.startsWith("/")) return normalize(rel);
  return normalize(`${base}/${rel}`);
}

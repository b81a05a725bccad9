// The link that restores a program and its facts: both as JSON, compressed
// (deflate) and written in base64url after `#code=` in the page's address,
// so nothing leaves the browser.

export interface Shared {
  readonly name: string;
  readonly program: string;
  readonly facts: Readonly<Record<string, string>>;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function unbase64url(s: string): Uint8Array {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/** The address fragment (without `#`) that holds `state`. */
export async function encodeState(state: Shared): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return `code=${base64url(await pipe(json, new CompressionStream("deflate-raw")))}`;
}

/** The state a fragment holds; undefined where it holds none or cannot be read. */
export async function decodeState(hash: string): Promise<Shared | undefined> {
  const m = /^#?code=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return undefined;
  try {
    const json = new TextDecoder().decode(await pipe(unbase64url(m[1]!), new DecompressionStream("deflate-raw")));
    const v = JSON.parse(json) as Shared;
    if (typeof v.program !== "string" || typeof v.name !== "string" || typeof v.facts !== "object") return undefined;
    return v;
  } catch {
    return undefined;
  }
}

// Implementations of user functors that fail, for the functor_* cases.
export function boom() {
  throw new Error("boom");
}
export function half() {
  return 1.5;
}
export function huge() {
  return 2 ** 40;
}
export function nothing() {
  return undefined;
}
export function forever(x) {
  return forever(x + 1);
}

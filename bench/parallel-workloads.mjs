// The parallel benches' workloads (bench/parallel.mjs, bench/parallel-ab.mjs):
// each a program and a function that makes (once) and returns its facts.

import { join } from "node:path";
import { dataDir, generated, prepared } from "./lib.mjs";
import { writeFacts } from "./parallel-kcfa.mjs";

const kcfa = (n) => prepared(join(dataDir, `parallel-kcfa-${n}`), (dir) => writeFacts(n, dir));

export const WORKLOADS = [
  { name: "tc_random_1000", program: "bench/programs/tc.dl", facts: () => generated("tc_random_1000", "tc_random", 1000) },
  { name: "tc_chain_2000", program: "bench/programs/tc.dl", facts: () => generated("tc_chain_2000", "tc_chain", 2000) },
  { name: "apsp_1000", program: "bench/programs/apsp.dl", facts: () => generated("apsp_1000", "sssp", 1000) },
  { name: "kcfa_env_10", program: "bench/parallel-kcfa.dl", facts: () => kcfa(10) },
];

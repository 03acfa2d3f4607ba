/**
 * The tslab kernel of `npm start` (scripts/notebooks.ts through jupyter/batch/nbworker.py): tslab
 * 1.0.22's own `tslab kernel`, started the same way (same converter options, executor, Jupyter
 * handler and ZMQ server), plus one request that only the batch runner sends:
 *
 *   //%swapcost-batch-reset {"env": {"SWAPCOST_NOTEBOOK": "...", ...}}
 *
 * It gives the next notebook the state of a freshly started kernel: a new tslab executor (no
 * variables or declarations of earlier cells, new instances of every src/ module, so module-level
 * state starts over), the environment and working directory the kernel started with plus the
 * given variables. What stays warm is what makes a fresh kernel slow and holds no notebook state:
 * the loaded TypeScript compiler (JIT-compiled), its parsed lib/@types/src files, the CommonJS
 * compiled from src/ files that did not change (tslab recompiles edited files itself), and npm
 * packages in Node's require cache (danfojs-node). Every cell is still type-checked, its imported
 * src/ files included, exactly as in a fresh kernel.
 *
 * What is not reset: properties on globalThis (npm packages keep state there, e.g. TensorFlow.js,
 * under danfojs-node, its engine and kernel registry, which must survive with the cached package);
 * the kit's notebooks define none. A notebook that needs a pristine globalThis runs with
 * `npm start -- --fresh-kernels` (one new kernel per notebook, as `jupyter nbconvert --execute`).
 *
 * If a notebook left something a reset cannot undo (pending timers, a `//%module` cell), the reset
 * fails with a message starting "swapcost-batch: not reusable" and the runner starts a new kernel.
 *
 * Interactive sessions never use this file: the swapcost-ts kernelspec runs plain `tslab kernel`.
 */
"use strict";
const path = require("node:path");

const ROOT = process.cwd();
const tslab = (f) => require(path.join(ROOT, "node_modules", "tslab", "dist", f));
const { createConverter } = tslab("converter.js");
const { createExecutor } = tslab("executor.js");
const { JupyterHandlerImpl, ZmqServer } = tslab("jupyter.js");

const RESET = "//%swapcost-batch-reset ";

function main() {
  const i = process.argv.indexOf("--config-path");
  const configPath = i >= 0 ? process.argv[i + 1] : "";

  // tslab's ConverterSetImpl (main.js), with the node converter wrapped: every CommonJS side output
  // (a compiled src/ file) is remembered, and the first conversion after a reset hands all of them
  // to the new executor. tslab only emits a file when it is new or changed since its last emit, so
  // without this a new executor would not find the unchanged ones.
  const compiled = new Map();
  let handOver = false;
  let dirty = "";
  let node;
  let browser;
  const wrap = (real) => ({
    convert(prevDecl, src) {
      const r = real.convert(prevDecl, src);
      for (const o of r.sideOutputs ?? []) compiled.set(o.path, o.data);
      if (handOver && compiled.size > 0) {
        handOver = false;
        r.sideOutputs = [...compiled].sort(([a], [b]) => a.localeCompare(b)).map(([p, data]) => ({ path: p, data }));
      }
      return r;
    },
    inspect: (...a) => real.inspect(...a),
    complete: (...a) => real.complete(...a),
    addModule: (...a) => {
      dirty ||= "a //%module cell registered a module";
      return real.addModule(...a);
    },
    close: () => real.close(),
  });
  const convs = {
    get node() {
      return (node ??= wrap(createConverter({ isJS: false, isBrowser: false })));
    },
    get browser() {
      return (browser ??= wrap(createConverter({ isJS: false, isBrowser: true })));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
  convs.node; // warm the converter, as tslab does

  const out = { log: console.log, error: console.error };
  let executor = createExecutor(ROOT, convs, out);
  const startEnv = { ...process.env };
  let baseline; // the kernel's own timers etc., taken at the first reset (before any notebook ran)
  const pending = () => {
    const n = new Map();
    for (const r of process.getActiveResourcesInfo()) if (r === "Timeout" || r === "Immediate") n.set(r, (n.get(r) ?? 0) + 1);
    return n;
  };

  function reset(json) {
    const req = JSON.parse(json);
    if (baseline === undefined) baseline = pending();
    const now = pending();
    for (const [k, v] of now) if (v > (baseline.get(k) ?? 0)) dirty ||= `${v - (baseline.get(k) ?? 0)} pending ${k} left by the last notebook`;
    if (dirty) {
      console.error(`swapcost-batch: not reusable: ${dirty}`);
      return false;
    }
    for (const k of Object.keys(process.env)) if (!(k in startEnv)) delete process.env[k];
    Object.assign(process.env, startEnv, req.env ?? {});
    if (process.cwd() !== ROOT) process.chdir(ROOT);
    executor = createExecutor(ROOT, convs, out);
    handOver = true;
    handler.execCount = 0;
    return true;
  }

  const facade = {
    execute: (src) => (src.startsWith(RESET) ? Promise.resolve(reset(src.slice(RESET.length))) : executor.execute(src)),
    inspect: (src, pos) => executor.inspect(src, pos),
    complete: (src, pos) => executor.complete(src, pos),
    interrupt: () => executor.interrupt(),
    reset: () => executor.reset(),
    close: () => executor.close(),
    get locals() {
      return executor.locals;
    },
  };
  const handler = new JupyterHandlerImpl(facade, false);
  const server = new ZmqServer(handler, configPath);
  process.on("SIGINT", () => facade.interrupt());
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  server.init();
}

main();

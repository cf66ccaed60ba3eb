// Runs a WASI command module (the foobar-sim CLI built for wasm32-wasip1) under Node's WASI,
// with the current directory preopened. Its stdout is the CLI's; on stderr, one last line
// `wall_s SECONDS`: the time of the run itself, without Node's start or the compile.
//
//   node bench/wasm/wasi-run.mjs foobar-sim.wasm run scenarios/mmc.json --json
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: ['foobar-sim', ...args],
  env: {},
  preopens: { '.': process.cwd() },
});
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const start = performance.now();
const code = wasi.start(instance);
const wall = (performance.now() - start) / 1000;
process.stderr.write(`wall_s ${wall}\n`);
process.exitCode = code;

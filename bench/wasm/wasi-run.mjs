// Runs a WASI command module (the foobar-sim CLI built for wasm32-wasip1) under Node's WASI,
// with the current directory preopened. Its stdout is the CLI's; on stderr, one last line
// `wall_s SECONDS, cpu_s SECONDS`: the wall-clock and CPU time (all of Node's threads) of the
// run itself, without Node's start or the first compile.
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
const cpu0 = process.cpuUsage();
const start = performance.now();
const code = wasi.start(instance);
const wall = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stderr.write(`wall_s ${wall}, cpu_s ${(cpu.user + cpu.system) / 1e6}\n`);
process.exitCode = code;

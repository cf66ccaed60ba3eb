// tools/wasm-imports.mjs, run as the release build runs it: on a module and its JS.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renameImports, shortName } from "../wasm-imports.mjs";
import { leb } from "../wasm.mjs";
import { moduleBytes, sections, str, vec } from "./module.mjs";

const TOOL = new URL("../wasm-imports.mjs", import.meta.url).pathname;
const ADD = "__wbg_add_0123456789abcdef";
const NEG = "__wbg_neg_fedcba9876543210";
const DOUBLE = "__wbg_double_00112233aabbccdd";

// wasm-bindgen's JS in small: the imports object, its keys the wasm's import names.
function jsText(keys = [ADD, NEG, DOUBLE]) {
    const bodies = {
        [ADD]: "function(a, b) { return a + b; }",
        [NEG]: "function(a) { return -a; }",
        [DOUBLE]: "(a) => 2 * a",
    };
    const entries = keys.map((k) => `    ${k}: ${bodies[k] ?? "() => 0"},`).join("\n");
    return `// The page's glue.\nconst log = "${ADD} is called from the wasm";\nexport const imports = {\n${entries}\n};\n`;
}

function files(wasm, js) {
    const dir = mkdtempSync(join(tmpdir(), "wasm-imports-"));
    const wasmPath = join(dir, "page_bg.wasm");
    const jsPath = join(dir, "page.mjs");
    writeFileSync(wasmPath, wasm);
    writeFileSync(jsPath, js);
    return { wasmPath, jsPath };
}

function runTool(wasmPath, jsPath) {
    return execFileSync("node", [TOOL, wasmPath, jsPath], { stdio: "pipe" });
}

const module = () =>
    moduleBytes([
        ["wbg", ADD],
        ["wbg", NEG],
        ["wbg", DOUBLE],
    ]);

test("short names go a to z, then two letters, then three", () => {
    const names = [0, 1, 25, 26, 27, 51, 52, 701, 702].map(shortName);
    assert.deepEqual(names, ["a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"]);
});

test("every import is renamed in both files and the page still runs", async () => {
    const { wasmPath, jsPath } = files(module(), jsText());
    runTool(wasmPath, jsPath);

    const js = readFileSync(jsPath, "utf8");
    for (const old of [NEG, DOUBLE]) assert.ok(!js.includes(old), `${old} is left in the JS`);
    // Only keys change: the same name elsewhere in the text stays.
    assert.ok(js.includes(`const log = "${ADD} is called`));
    const { imports } = await import(pathToFileURL(jsPath).href);
    assert.deepEqual(Object.keys(imports), ["a", "b", "c"]);

    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { wbg: imports });
    // run(2, 5) = double(neg(add(2, 5)))
    assert.equal(instance.exports.run(2, 5), -14);
});

test("a module whose import is not a key in the JS is left as it was, and so is the JS", () => {
    const wasm = module();
    const js = jsText([ADD, NEG]);
    const { wasmPath, jsPath } = files(wasm, js);
    assert.throws(() => runTool(wasmPath, jsPath), /is a key 0 times, not once/);
    assert.deepEqual(readFileSync(wasmPath), wasm);
    assert.equal(readFileSync(jsPath, "utf8"), js);
});

test("a name that is a key twice is refused: which one the wasm means is unknown", () => {
    const wasm = module();
    const js = jsText() + `export const again = {\n    ${NEG}: () => 1,\n};\n`;
    const { wasmPath, jsPath } = files(wasm, js);
    assert.throws(() => runTool(wasmPath, jsPath), /is a key 2 times, not once/);
    assert.deepEqual(readFileSync(wasmPath), wasm);
});

test("a key that only starts with an import's name is not that import", () => {
    const js = jsText().replace("export const imports = {", `export const other = {\n    ${NEG}_more: 1,\n};\nexport const imports = {`);
    const { wasmPath, jsPath } = files(module(), js);
    runTool(wasmPath, jsPath);
    assert.ok(readFileSync(jsPath, "utf8").includes(`${NEG}_more: 1`));
});

test("binaryen's compact import encodings are renamed in place, descriptions kept", () => {
    const func = (type) => [0x00, ...leb(type)];
    // One module name, then (field, description) pairs: the 0x7F form.
    const pairs = [...str("wbg"), ...str(""), 0x7f, ...vec([[...str(ADD), ...func(0)], [...str(NEG), ...func(1)]])];
    // One module name, one description shared by every field: the 0x7E form.
    const shared = [...str("env"), ...str(""), 0x7e, ...func(1), ...vec([str(DOUBLE), str("__wbg_x_0000000000000000")])];
    const section = [...leb(2), ...pairs, ...shared];
    const renames = [];
    const out = renameImports(Buffer.from(section), renames);

    assert.deepEqual(
        renames.map(([, short]) => short),
        ["a", "b", "c", "d"],
    );
    assert.deepEqual(
        renames.map(([old]) => old),
        [ADD, NEG, DOUBLE, "__wbg_x_0000000000000000"],
    );
    const expected = [
        ...leb(2),
        ...[...str("wbg"), ...str(""), 0x7f, ...vec([[...str("a"), ...func(0)], [...str("b"), ...func(1)]])],
        ...[...str("env"), ...str(""), 0x7e, ...func(1), ...vec([str("c"), str("d")])],
    ];
    assert.deepEqual(out, expected);
});

test("the other sections of the module are untouched", () => {
    const wasm = module();
    const { wasmPath, jsPath } = files(wasm, jsText());
    runTool(wasmPath, jsPath);
    const before = sections(wasm).filter((s) => s.id !== 2);
    const after = sections(readFileSync(wasmPath)).filter((s) => s.id !== 2);
    assert.deepEqual(after, before);
});

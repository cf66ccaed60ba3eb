// tools/wasm-layout.mjs, run as the release build runs it: on a module with wasm-ld's names.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { placeOf } from "../wasm-layout.mjs";
import { readLeb } from "../wasm.mjs";
import { moduleBytes, sections } from "./module.mjs";

const TOOL = new URL("../wasm-layout.mjs", import.meta.url).pathname;
const H = "::h0123456789abcdef";

test("a trait's method goes with the type it is for", () => {
    assert.equal(
        placeOf(`<foobar_sim::world::World as core::clone::Clone>::clone${H}`),
        "foobar_sim::world::World::clone",
    );
    assert.equal(
        placeOf(`<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop${H}`),
        "alloc::vec::Vec::drop",
    );
});

test("generic arguments, the symbol hash and crate hashes are left out", () => {
    assert.equal(placeOf(`alloc::vec::Vec<T,A>::push${H}`), "alloc::vec::Vec::push");
    assert.equal(placeOf(`core[c5930c85a12de822]::fmt::write${H}`), "core::fmt::write");
    assert.equal(
        placeOf(`yew::html::component::lifecycle::ComponentState<COMP>::new${H}`),
        "yew::html::component::lifecycle::ComponentState::new",
    );
    assert.equal(placeOf("main"), "main");
});

function functionNames(bytes) {
    const custom = sections(bytes).find((s) => s.id === 0);
    let [len, at] = readLeb(custom.body, 0);
    assert.equal(custom.body.subarray(at, at + len).toString(), "name");
    at += len;
    const sub = custom.body[at];
    assert.equal(sub, 1, "the function names come first; the module's name is dropped");
    let size;
    [size, at] = readLeb(custom.body, at + 1);
    let count;
    [count, at] = readLeb(custom.body, at);
    const names = [];
    while (count--) {
        let index, n;
        [index, at] = readLeb(custom.body, at);
        [n, at] = readLeb(custom.body, at);
        names.push([index, custom.body.subarray(at, at + n).toString()]);
        at += n;
    }
    return names;
}

function layOut(bytes) {
    const dir = mkdtempSync(join(tmpdir(), "wasm-layout-"));
    const path = join(dir, "page_bg.wasm");
    writeFileSync(path, bytes);
    execFileSync("node", [TOOL, path], { stdio: "pipe" });
    return readFileSync(path);
}

const NAMES = [
    `<foobar_sim::world::World as core::clone::Clone>::clone${H}`,
    `<alloc::string::String as core::fmt::Display>::fmt${H}`,
    `foobar_sim::world::World::step${H}`,
];

test("each function is renamed by its place, its index and its old name, in order", () => {
    const imports = [
        ["wbg", "__wbg_add_0123456789abcdef"],
        ["wbg", "__wbg_neg_fedcba9876543210"],
    ];
    const out = layOut(moduleBytes(imports, NAMES));
    assert.deepEqual(functionNames(out), [
        [0, `foobar_sim::world::World::clone #000000 ${NAMES[0]}`],
        [1, `alloc::string::String::fmt #000001 ${NAMES[1]}`],
        [2, `foobar_sim::world::World::step #000002 ${NAMES[2]}`],
    ]);
    assert.ok(WebAssembly.validate(out));
});

test("sorted by name, a type's trait methods sit with its own", () => {
    const out = layOut(moduleBytes([["wbg", "__wbg_add_0123456789abcdef"], ["wbg", "x"]], NAMES));
    const sorted = functionNames(out)
        .map(([, n]) => n)
        .sort();
    assert.deepEqual(
        sorted.map((n) => n.split(" #")[0]),
        ["alloc::string::String::fmt", "foobar_sim::world::World::clone", "foobar_sim::world::World::step"],
    );
    // As wasm-ld names them, `<...>` impls of every type sort together, away from their type.
    assert.deepEqual([...NAMES].sort(), [NAMES[1], NAMES[0], NAMES[2]]);
});

test("only the name section changes", () => {
    const bytes = moduleBytes([["wbg", "f"], ["wbg", "g"]], NAMES);
    const out = layOut(bytes);
    const code = (b) => sections(b).filter((s) => s.id !== 0);
    assert.deepEqual(code(out), code(bytes));
});

test("a module without a name section is refused and left as it was", () => {
    const bytes = moduleBytes([["wbg", "f"], ["wbg", "g"]]);
    const dir = mkdtempSync(join(tmpdir(), "wasm-layout-"));
    const path = join(dir, "page_bg.wasm");
    writeFileSync(path, bytes);
    assert.throws(
        () => execFileSync("node", [TOOL, path], { stdio: "pipe" }),
        /no name section: nothing to lay out by/,
    );
    assert.deepEqual(readFileSync(path), bytes);
});

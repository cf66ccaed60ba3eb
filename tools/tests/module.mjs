// Small wasm modules built byte by byte for the tools' tests: what wasm-bindgen and wasm-ld
// write, cut down to the sections the tools read.

import { leb } from "../wasm.mjs";

const utf8 = (s) => [...Buffer.from(s)];
export const vec = (items) => [...leb(items.length), ...items.flat()];
export const str = (s) => vec(utf8(s).map((b) => [b]));
export const section = (id, body) => [id, ...leb(body.length), ...body];

const I32 = 0x7f;

// A module importing functions `imports` ([module, field]; the first takes two i32s, the
// others one, each returns an i32) and exporting `run(a, b)`, which returns
// `imports[0](a, b)` passed through the others in turn. `names` gives the "name" section's function
// names, by index, when it is there.
export function moduleBytes(imports, names) {
    const types = [
        [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])],
        [0x60, ...vec([[I32]]), ...vec([[I32]])],
    ];
    const importEntries = imports.map(([module, field], i) => [
        ...str(module),
        ...str(field),
        0x00,
        ...leb(i === 0 ? 0 : 1),
    ]);
    const run = imports.length;
    const body = [0x00, 0x20, 0, 0x20, 1, 0x10, 0];
    for (let i = 1; i < imports.length; i++) body.push(0x10, i);
    body.push(0x0b);
    const bytes = [
        ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
        ...section(1, vec(types)),
        ...section(2, vec(importEntries)),
        ...section(3, vec([leb(0)])),
        ...section(7, vec([[...str("run"), 0x00, ...leb(run)]])),
        ...section(10, vec([[...leb(body.length), ...body]])),
    ];
    if (names) {
        const fnNames = vec(names.map((n, i) => [...leb(i), ...str(n)]));
        const moduleName = str("tiny");
        bytes.push(
            ...section(0, [
                ...str("name"),
                ...section(0, moduleName),
                ...section(1, fnNames),
            ]),
        );
    }
    return Buffer.from(bytes);
}

// The sections of a module: [{ id, body }] in order.
export function sections(bytes) {
    const out = [];
    let at = 8;
    while (at < bytes.length) {
        const id = bytes[at];
        let size = 0;
        let shift = 0;
        let p = at + 1;
        for (;;) {
            const b = bytes[p++];
            size += (b & 0x7f) * 2 ** shift;
            shift += 7;
            if (b < 0x80) break;
        }
        out.push({ id, body: Buffer.from(bytes.subarray(p, p + size)) });
        at = p + size;
    }
    return out;
}

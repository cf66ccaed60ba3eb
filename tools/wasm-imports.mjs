// Gives the functions the wasm imports from wasm-bindgen's JS short names, in both files.
// wasm-bindgen names each one like `__wbg_appendChild_dbf7ad2f48413560`: the name, then a
// hash, written once in the wasm's import section and once in the JS's imports object,
// 600 KB apart, so gzip cannot share them, and a hash does not compress. Renamed `a`, `b`,
// ..., `ba`, ... (the order of the import section), the page is 6 KB smaller gzipped.
// Only those names change: every one must be found in the JS as a key, else nothing is
// written.
//
//     node tools/wasm-imports.mjs FILE_bg.wasm FILE.js     (rewrites both in place)

import { readFileSync, writeFileSync } from "node:fs";
import { leb, readLeb, rewriteSection } from "./wasm.mjs";

function vecBytes(bytes) {
    return [...leb(bytes.length), ...bytes];
}

// The i-th short name: a..z, then two letters, and so on.
export function shortName(i) {
    let name = "";
    for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) {
        name = String.fromCharCode(97 + ((n - 1) % 26)) + name;
    }
    return name;
}

// Where an import's description ends: a function's type, a table's or a memory's limits, a
// global's type, a tag's.
function descEnd(bytes, at) {
    const kind = bytes[at++];
    const limits = (p) => {
        const flags = bytes[p++];
        [, p] = readLeb(bytes, p);
        if (flags & 1) [, p] = readLeb(bytes, p);
        return p;
    };
    switch (kind) {
        case 0:
            return readLeb(bytes, at)[1];
        case 1:
            return limits(at + 1);
        case 2:
            return limits(at);
        case 3:
            return at + 2;
        case 4:
            return readLeb(bytes, at + 1)[1];
        default:
            throw new Error(`unknown import kind ${kind}`);
    }
}

// The import section with each field renamed; `renames` gets (old, new) in order. Reads
// both encodings binaryen writes: one (module, field, description) per import, and the
// compact one: (module, "", 0x7F, then (field, description) pairs) or (module, "", 0x7E,
// one description, then fields).
export function renameImports(section, renames) {
    const decoder = new TextDecoder();
    let at = 0;
    const name = () => {
        let len;
        [len, at] = readLeb(section, at);
        const bytes = section.subarray(at, at + len);
        at += len;
        return bytes;
    };
    const renamed = () => {
        const old = decoder.decode(name());
        const short = shortName(renames.length);
        renames.push([old, short]);
        return vecBytes([...Buffer.from(short)]);
    };
    const desc = () => {
        const end = descEnd(section, at);
        const bytes = [...section.subarray(at, end)];
        at = end;
        return bytes;
    };
    const count = () => {
        let n;
        [n, at] = readLeb(section, at);
        return n;
    };
    const groups = count();
    const out = [...leb(groups)];
    for (let g = 0; g < groups; g++) {
        out.push(...vecBytes([...name()]));
        const form = section[at + 1];
        if (section[at] === 0 && (form === 0x7f || form === 0x7e)) {
            at += 2;
            out.push(0, form);
            if (form === 0x7f) {
                const n = count();
                out.push(...leb(n));
                for (let i = 0; i < n; i++) out.push(...renamed(), ...desc());
            } else {
                out.push(...desc());
                const n = count();
                out.push(...leb(n));
                for (let i = 0; i < n; i++) out.push(...renamed());
            }
        } else {
            out.push(...renamed(), ...desc());
        }
    }
    return out;
}

function main(wasmPath, jsPath) {
    const renames = [];
    const rewritten = rewriteSection(readFileSync(wasmPath), (id, body) =>
        id === 2 ? renameImports(body, renames) : undefined,
    );
    if (!rewritten) throw new Error(`${wasmPath} imports nothing`);
    let js = readFileSync(jsPath, "utf8");
    for (const [old, renamed] of renames) {
        // The name as an object key, whole: not inside a longer name.
        const quoted = old.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const key = new RegExp(`(?<![\\w$])${quoted}(?=\\s*:)`, "g");
        const found = js.match(key)?.length ?? 0;
        if (found !== 1) throw new Error(`${jsPath}: the import ${old} is a key ${found} times, not once`);
        js = js.replace(key, renamed);
    }
    writeFileSync(wasmPath, rewritten);
    writeFileSync(jsPath, js);
}

if (process.argv[3]) main(process.argv[2], process.argv[3]);

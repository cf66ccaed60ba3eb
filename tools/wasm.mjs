// What the release build's wasm tools share: LEB128 numbers, as the wasm format writes them.

// The unsigned LEB128 number at `bytes[at]`: [value, the index after it].
export function readLeb(bytes, at) {
    let value = 0;
    let shift = 0;
    for (;;) {
        const b = bytes[at++];
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (b < 0x80) return [value, at];
    }
}

// `n` as unsigned LEB128 bytes.
export function leb(n) {
    const out = [];
    do {
        let b = n & 0x7f;
        n = Math.floor(n / 128);
        if (n) b |= 0x80;
        out.push(b);
    } while (n);
    return out;
}

// `bytes`, a module, with the first section `rewrite` takes replaced: `rewrite(id, body)`
// gets each section's id and contents in turn and returns the new contents, or nothing to
// go on. Nothing if it took none.
export function rewriteSection(bytes, rewrite) {
    let at = 8;
    while (at < bytes.length) {
        const id = bytes[at];
        const [size, body] = readLeb(bytes, at + 1);
        const end = body + size;
        const content = rewrite(id, bytes.subarray(body, end));
        if (content) {
            const section = Buffer.from([id, ...leb(content.length), ...content]);
            return Buffer.concat([bytes.subarray(0, at), section, bytes.subarray(end)]);
        }
        at = end;
    }
    return undefined;
}

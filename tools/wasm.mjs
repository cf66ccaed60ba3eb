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

//! Share links: the whole state of a run (scenario, seed, the actions taken with
//! their moments, the moment shown, the lesson open) in a compact, versioned string for a URL.
//! Encoding: compact JSON in base64url, behind a version prefix (a few kilobytes: no
//! compressor, which would cost the page more bytes than it saves in links), and (version 2)
//! the body's CRC-32 after it: `v2.<body>.<crc32 in hex>`, so a changed character is refused
//! instead of read as another design. Version 1 links, without it, still read. Decoding is
//! total: any input gives a state or a message saying what is wrong, never a panic.

use crate::action::Stamped;
use crate::error::LinkError;
use crate::scenario::Scenario;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// The link format's version; a link from a newer page says so.
pub const VERSION: u32 = 2;
const PREFIX: &str = "v2.";
/// Version 1: the same body without a checksum.
const PREFIX_V1: &str = "v1.";
/// A link longer than this is refused before decoding (a URL this long is not ours).
pub const MAX_LINK: usize = 200_000;
/// Opening a link replays at most about this many requests.
pub const MAX_REPLAY_REQUESTS: f64 = 20_000_000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    pub scenario: Scenario,
    pub actions: Vec<Stamped>,
    /// The moment shown.
    pub t: SimTime,
    #[serde(default)]
    pub lesson: Option<String>,
}

#[inline]
pub fn encode(s: &Shared) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let body = base64url(&json);
    format!("{PREFIX}{body}.{:08x}", crc32(body.as_bytes()))
}

/// Reads a link (the part after `#`, with or without a leading `#` or `share=`).
#[inline]
pub fn decode(link: &str) -> Result<Shared, LinkError> {
    let link = link.trim();
    let link = link.strip_prefix('#').unwrap_or(link);
    let link = link.strip_prefix("share=").unwrap_or(link);
    if link.is_empty() {
        return Err(LinkError::Empty);
    }
    if link.len() > MAX_LINK {
        return Err(LinkError::TooLong);
    }
    let body = if let Some(v2) = link.strip_prefix(PREFIX) {
        let Some((body, sum)) = v2.rsplit_once('.') else {
            return Err(LinkError::NoChecksum);
        };
        // Written in lowercase hex, 8 digits: any other spelling is a changed character.
        if format!("{:08x}", crc32(body.as_bytes())) != sum {
            return Err(LinkError::ChecksumMismatch);
        }
        body
    } else if let Some(v1) = link.strip_prefix(PREFIX_V1) {
        v1
    } else {
        if let Some(v) = link
            .strip_prefix('v')
            .and_then(|r| r.split('.').next())
            .and_then(|n| n.parse::<u32>().ok())
        {
            if v > VERSION {
                return Err(LinkError::Newer {
                    version: v,
                    reads: VERSION,
                });
            }
            return Err(LinkError::Unsupported { version: v });
        }
        return Err(LinkError::NotALink { version: VERSION });
    };
    let json = unbase64url(body).ok_or(LinkError::BadCharacters)?;
    let shared: Shared = crate::json::from_slice(&json).map_err(|e| {
        if e.ends_too_soon() {
            LinkError::CutShort
        } else {
            LinkError::NotAState(e)
        }
    })?;
    shared.scenario.validate().map_err(LinkError::Scenario)?;
    if shared
        .actions
        .windows(2)
        .any(|w| w[1].at < w[0].at || w[1].events < w[0].events)
    {
        return Err(LinkError::ActionsOutOfOrder);
    }
    for a in &shared.actions {
        a.action.validate().map_err(LinkError::Action)?;
    }
    if shared.t > SimTime::from_secs_f64(crate::scenario::MAX_DURATION_S) {
        return Err(LinkError::BeyondAWeek);
    }
    // Opening a link replays the run up to its moment: refuse one too long to replay.
    let mut rate = shared.scenario.traffic.rate;
    for a in &shared.actions {
        match &a.action {
            crate::action::Action::Rate { rate: r } => rate = rate.max(*r),
            crate::action::Action::Burst { factor, .. } => {
                rate = rate.max(shared.scenario.traffic.rate * factor)
            }
            _ => {}
        }
    }
    let requests = rate * shared.t.as_secs();
    if requests > MAX_REPLAY_REQUESTS {
        return Err(LinkError::TooBusy {
            million_requests: requests / 1e6,
        });
    }
    Ok(shared)
}

/// CRC-32 (IEEE 802.3, as zlib's `crc32`), bit by bit: a link is a few kilobytes, read once,
/// and these lines cost the page fewer bytes than a crate or a table. It catches every
/// change of one character (any burst of up to 32 bits).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// zlib's check value for CRC-32.
    #[test]
    fn crc32_is_zlibs() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn base64url_round_trips() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(unbase64url(&base64url(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url(b"Man"), "TWFu");
        assert!(unbase64url("ab+c").is_none());
    }
}

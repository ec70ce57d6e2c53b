//! The fast paths of the sanitiser against simple references, on random and
//! adversarial inputs split at random chunk boundaries.

use super::*;

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that exercise every rule: plain text, line ends, CR and backspace,
/// SGR and other escapes, OSC/DCS strings and their terminators, C1 controls
/// (raw and UTF-8 encoded), multi-byte characters, invalid and truncated UTF-8.
const PIECES: &[&[u8]] = &[
    b"a",
    b"plain text ",
    b"abcdefghijklmnopqrstuvwxyz0123456789",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x08",
    b"\t",
    b"\x1b",
    b"\x1b[",
    b"\x1b[31m",
    b"\x1b[0m",
    b"\x1b[1;38;5;208m",
    b"\x1b[K",
    b"\x1b[2J",
    b"\x1b[?25l",
    b"\x1b(B",
    b"\x1b]0;title\x07",
    b"\x1b]",
    b"\x1bP",
    b"\x1b\\",
    b"\x07",
    b"\x00",
    b"\x7f",
    b"\x18",
    b"\x1a",
    b"\x9b",
    b"\xc2\x9b",
    b"\xc2\x9d",
    b"\xc2\x85",
    b"\xc2\xa0",
    b"\xc2",
    "é".as_bytes(),
    "€".as_bytes(),
    "🦀".as_bytes(),
    b"\xe2\x82",
    b"\xf0\x9f",
    b"\xff",
    b"\xed\xa0\x80",
    b";",
    b"m",
];

fn random_input(rng: &mut Rng, pieces: usize) -> Vec<u8> {
    let mut input = Vec::new();
    for _ in 0..pieces {
        match rng.below(8) {
            // A random byte now and then: anything at all.
            0 => input.push(rng.next() as u8),
            _ => input.extend_from_slice(PIECES[rng.below(PIECES.len())]),
        }
    }
    input
}

/// The reference: the whole input decoded at once (each invalid sequence one
/// U+FFFD, as `from_utf8_lossy` does) and fed one character at a time, so no
/// bulk copying, no chunk boundaries and no split characters are involved.
fn reference(input: &[u8]) -> String {
    let mut s = Sanitizer::new();
    let mut out = String::new();
    for c in String::from_utf8_lossy(input).chars() {
        s.feed_char(c, &mut out);
    }
    out.push_str(&s.finish());
    out
}

fn chunked(input: &[u8], rng: &mut Rng) -> String {
    let mut s = Sanitizer::new();
    let mut out = String::new();
    let mut rest = input;
    while !rest.is_empty() {
        let n = match rng.below(4) {
            0 => 1,
            1 => 1 + rng.below(4),
            _ => 1 + rng.below(64),
        }
        .min(rest.len());
        out.push_str(&s.push(&rest[..n]));
        rest = &rest[n..];
    }
    out.push_str(&s.finish());
    out
}

#[test]
fn chunk_boundaries_and_bulk_copies_never_change_the_output() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..3000 {
        // Short enough that no line reaches LINE_CAP (its cut depends on
        // where runs end, by design).
        let pieces = 1 + rng.below(120);
        let input = random_input(&mut rng, pieces);
        let want = reference(&input);
        let mut whole = Sanitizer::new();
        let mut got = whole.push(&input);
        got.push_str(&whole.finish());
        assert_eq!(got, want, "round {round}, in one push: {input:?}");
        let got = chunked(&input, &mut rng);
        assert_eq!(got, want, "round {round}, chunked: {input:?}");
    }
}

/// The byte-by-byte scan the block-at-a-time `plain_run` replaces.
fn plain_run_reference(b: &[u8]) -> usize {
    (0..b.len()).find(|&i| !plain_byte(b, i)).unwrap_or(b.len())
}

#[test]
fn block_scan_finds_the_same_run_as_a_byte_scan() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..3000 {
        // Mostly plain, so the runs are long and cross many blocks.
        let mut input = Vec::new();
        for _ in 0..1 + rng.below(40) {
            match rng.below(10) {
                0 => input.extend_from_slice(PIECES[rng.below(PIECES.len())]),
                1 => input.push(rng.next() as u8),
                _ => input.extend_from_slice(&b"abcdefghij\n"[..1 + rng.below(11)]),
            }
        }
        let text = String::from_utf8_lossy(&input);
        let bytes = text.as_bytes();
        for start in (0..bytes.len()).filter(|&i| text.is_char_boundary(i)) {
            let b = &bytes[start..];
            assert_eq!(plain_run(b), plain_run_reference(b), "{b:?}");
        }
    }
    // Every single byte value in every position of a block.
    for x in 0..=255u8 {
        for pos in 0..BLOCK {
            let mut block = [b'a'; BLOCK];
            block[pos] = x;
            assert!(
                block_needs_look(&block) || plain_run_reference(&block) == BLOCK,
                "byte {x:#x} at {pos} is missed"
            );
        }
    }
}

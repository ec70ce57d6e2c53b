use super::*;

/// Everything at once.
fn clean(bytes: &[u8]) -> String {
    let mut s = Sanitizer::new();
    let mut out = s.push(bytes);
    out.push_str(&s.finish());
    out
}

/// One byte at a time: every possible chunk boundary.
fn clean_bytewise(bytes: &[u8]) -> String {
    let mut s = Sanitizer::new();
    let mut out = String::new();
    for b in bytes {
        out.push_str(&s.push(std::slice::from_ref(b)));
    }
    out.push_str(&s.finish());
    out
}

fn both(bytes: &[u8]) -> String {
    let a = clean(bytes);
    assert_eq!(
        a,
        clean_bytewise(bytes),
        "chunking changed the result for {bytes:?}"
    );
    a
}

#[test]
fn plain_lines_pass_through() {
    assert_eq!(both(b"hello\nworld\n"), "hello\nworld\n");
    assert_eq!(both("naïve 日本 🦀\n".as_bytes()), "naïve 日本 🦀\n");
}

#[test]
fn push_returns_whole_lines_and_finish_the_rest() {
    let mut s = Sanitizer::new();
    assert_eq!(s.push(b"one\ntw"), "one\n");
    assert!(s.has_partial());
    assert_eq!(s.push(b"o\nthr"), "two\n");
    assert_eq!(s.finish(), "thr");
}

#[test]
fn invalid_utf8_becomes_replacement_character() {
    assert_eq!(both(b"a\xffb\n"), "a\u{FFFD}b\n");
    assert_eq!(both(b"\xe2\x82x\n"), "\u{FFFD}x\n");
    // A truncated character at the very end.
    assert_eq!(both(b"ok\xe2\x82"), "ok\u{FFFD}");
    // Raw 8-bit CSI is not UTF-8: shown as U+FFFD, its parameters as text.
    assert_eq!(both(b"\x9b2Jx\n"), "\u{FFFD}2Jx\n");
}

#[test]
fn utf8_split_across_chunks_is_joined() {
    let mut s = Sanitizer::new();
    let crab = "🦀".as_bytes();
    assert_eq!(s.push(&crab[..1]), "");
    assert_eq!(s.push(&crab[1..3]), "");
    assert_eq!(s.push(&[crab[3], b'\n']), "🦀\n");
}

#[test]
fn sgr_is_kept_other_csi_dropped() {
    assert_eq!(both(b"\x1b[1;31mred\x1b[0m\n"), "\x1b[1;31mred\x1b[0m\n");
    assert_eq!(both(b"\x1b[38:5:196mx\n"), "\x1b[38:5:196mx\n");
    assert_eq!(
        both(b"a\x1b[2J\x1b[H\x1b[10;20Hb\x1b[?1049h\x1b[?25lc\n"),
        "abc\n"
    );
    // SGR with an intermediate or a private marker is not plain SGR.
    assert_eq!(both(b"\x1b[>4;2mx\x1b[1 mz\n"), "xz\n");
}

#[test]
fn overlong_sgr_is_dropped() {
    let mut input = b"\x1b[".to_vec();
    input.extend(std::iter::repeat_n(b'1', 500));
    input.extend_from_slice(b"mok\n");
    assert_eq!(both(&input), "ok\n");
}

#[test]
fn osc_with_bel_or_st_is_dropped() {
    // OSC 52: write "hello" to the clipboard.
    assert_eq!(both(b"a\x1b]52;c;aGVsbG8=\x07b\n"), "ab\n");
    assert_eq!(both(b"a\x1b]0;title\x1b\\b\n"), "ab\n");
    // Hyperlink: the link text stays, the target goes.
    assert_eq!(
        both(b"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\n"),
        "link\n"
    );
}

#[test]
fn dcs_sos_pm_apc_are_dropped_until_st() {
    assert_eq!(both(b"a\x1bPq#0;2;0;0;0\x07still\x1b\\b\n"), "ab\n");
    assert_eq!(
        both(b"a\x1bXsos\x1b\\b\x1b^pm\x1b\\c\x1b_apc\x1b\\d\n"),
        "abcd\n"
    );
}

#[test]
fn c1_controls_are_interpreted_and_dropped() {
    // U+009B (CSI) encoded as UTF-8, U+009D (OSC) ... U+009C (ST).
    assert_eq!(both("a\u{9b}2Jb\n".as_bytes()), "ab\n");
    assert_eq!(both("a\u{9d}52;c;eA==\u{9c}b\n".as_bytes()), "ab\n");
    assert_eq!(both("a\u{85}\u{8d}b\n".as_bytes()), "ab\n");
}

#[test]
fn two_byte_escapes_and_charset_selection_are_dropped() {
    assert_eq!(both(b"a\x1b7\x1b8\x1bcb\x1b(0c\x1b)Bd\n"), "abcd\n");
}

#[test]
fn unterminated_osc_is_bounded() {
    let mut input = b"\x1b]52;c;".to_vec();
    input.extend(std::iter::repeat_n(b'A', MAX_STRING_SEQ + 100));
    input.extend_from_slice(b"\nvisible\n");
    let out = both(&input);
    assert!(
        out.ends_with("visible\n"),
        "text after a runaway OSC must show: {out:?}"
    );
    assert!(
        out.len() < 200,
        "only the overflow may show, got {} bytes",
        out.len()
    );
}

#[test]
fn c0_controls_and_del_are_dropped_tab_and_newline_kept() {
    assert_eq!(both(b"a\x00\x01\x07\x0b\x0c\x7fb\tc\n"), "ab\tc\n");
}

#[test]
fn crlf_is_a_newline() {
    assert_eq!(both(b"one\r\ntwo\r\n"), "one\ntwo\n");
}

#[test]
fn carriage_return_overwrites_the_line() {
    assert_eq!(both(b" 10%\r 50%\r100%\n"), "100%\n");
    assert_eq!(both(b"12345\rab\n"), "ab345\n");
    // Erase-to-end-of-line after a carriage return clears what was not overwritten.
    assert_eq!(both(b"loading...\r\x1b[Kdone\n"), "done\n");
    assert_eq!(both(b"loading...\rdone\x1b[0K\n"), "done\n");
}

#[test]
fn cr_split_from_lf_across_chunks_is_still_crlf() {
    let mut s = Sanitizer::new();
    assert_eq!(s.push(b"x\r"), "");
    assert_eq!(s.push(b"\ny\n"), "x\ny\n");
}

#[test]
fn backspace_deletes_previous_character() {
    assert_eq!(both(b"abc\x08\x08d\n"), "ad\n");
    assert_eq!(both(b"\x08\x08x\n"), "x\n");
    // Never into an SGR sequence.
    assert_eq!(both(b"a\x1b[1m\x08b\n"), "a\x1b[1mb\n");
}

#[test]
fn long_line_is_emitted_in_parts_and_state_bounded() {
    let mut s = Sanitizer::new();
    let big = vec![b'x'; LINE_CAP * 3 + 10];
    let out = s.push(&big);
    assert!(out.len() >= LINE_CAP * 3);
    assert!(!out.contains('\n'));
    assert_eq!(s.finish().len() + out.len(), big.len());
}

#[test]
fn timed_flush_then_cr_starts_a_new_line() {
    let mut s = Sanitizer::new();
    assert_eq!(s.push(b" 10%"), "");
    assert_eq!(s.take_partial(), " 10%");
    assert_eq!(s.push(b"\r 20%\r 30%\n"), "\n 30%\n");
}

#[test]
fn strip_sgr_removes_styles_only() {
    assert_eq!(strip_sgr("\x1b[1;31mred\x1b[0m plain"), "red plain");
    // A stray ESC is an escape sequence with the character after it.
    assert_eq!(strip_sgr("a\x1bb"), "a");
}

/// Tiny deterministic generator (xorshift) so the property test needs no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Output never holds an ESC except at the start of a valid SGR, nor any C0/C1
/// control except `\n` and `\t`, however the input is built and chunked.
#[test]
fn property_output_is_always_safe() {
    let pieces: &[&[u8]] = &[
        b"\x1b",
        b"[",
        b"]",
        b"P",
        b"\\",
        b"\x07",
        b"\x9b",
        b"\xc2\x9b",
        b"\xc2\x9d",
        b"\xc2\x9c",
        b"\r",
        b"\n",
        b"\x08",
        b"\t",
        b"\x7f",
        b"\x00",
        b"m",
        b"1",
        b";",
        b":",
        b"?",
        b"H",
        b"a",
        b"\xe2\x82",
        b"\xac",
        b"\xff",
        b"\x18",
        b" ",
        b"\xf0\x9f\xa6\x80",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let mut input = Vec::new();
        for _ in 0..(rng.next() % 60) {
            input.extend_from_slice(pieces[(rng.next() as usize) % pieces.len()]);
        }
        let mut s = Sanitizer::new();
        let mut out = String::new();
        let mut rest = &input[..];
        while !rest.is_empty() {
            let n = 1 + (rng.next() as usize) % rest.len();
            out.push_str(&s.push(&rest[..n]));
            rest = &rest[n..];
            if rng.next().is_multiple_of(5) {
                out.push_str(&s.take_partial());
            }
        }
        out.push_str(&s.finish());
        assert_safe(&out, &input);
    }
}

fn assert_safe(out: &str, input: &[u8]) {
    let mut rest = out;
    while let Some(p) = rest.find('\x1b') {
        let after = skip_sgr(&rest[p..]);
        assert!(after.is_some(), "stray ESC in {out:?} from {input:?}");
        rest = after.unwrap_or("");
    }
    for c in strip_sanitised_sgr(out).chars() {
        assert!(
            !is_control(c) || c == '\n' || c == '\t',
            "control {c:?} in {out:?} from {input:?}"
        );
    }
}

#[test]
fn unterminated_string_ends_at_its_newline_and_hides_nothing() {
    // `printf '\033]0;'; echo failed; echo next` on one stream.
    assert_eq!(
        both(b"\x1b]0;failed: no route\nnext line\n"),
        "0;failed: no route\nnext line\n"
    );
    assert_eq!(
        both(b"\x1bPafter\x07 dcs\nerror: boom\n"),
        "after dcs\nerror: boom\n"
    );
    // C1 introducers behave the same; controls inside never pass.
    assert_eq!(both("x\u{9d}52;c\u{1}Y\nZ\n".as_bytes()), "x52;cY\nZ\n");
    // A terminated one on the same line is still dropped whole.
    assert_eq!(both(b"a\x1b]0;title\x07b\nc\n"), "ab\nc\n");
}

#[test]
fn unterminated_string_at_the_end_of_the_stream_is_shown() {
    assert_eq!(both(b"out\n\x1b]0;"), "out\n0;");
    assert_eq!(both(b"\x1bP"), "");
    assert_eq!(both(b"\x1b_tail text"), "tail text");
}

//! End to end in a pseudo-terminal: the program turns bracketed paste on
//! (and off on the way out), a paste goes whole into the note editor and is
//! saved by the Ctrl-S that follows, and a paste into the typed
//! confirmation is refused and confirms nothing.

mod support;

use runbook::incident::Event;
use support::{WAIT, journal, start, wait_journal};

const PASTE_ON: &[u8] = b"\x1b[?2004h";
const PASTE_OFF: &[u8] = b"\x1b[?2004l";

fn bracketed(text: &str) -> Vec<u8> {
    let mut b = b"\x1b[200~".to_vec();
    b.extend_from_slice(text.as_bytes());
    b.extend_from_slice(b"\x1b[201~");
    b
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_paste_goes_whole_into_the_note_and_ctrl_s_saves_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = start("basic.yaml", "Paste", dir.path(), &[]);
    t.expect_all(&["1 ▶ Look", "q quit"]);
    assert!(
        contains(&t.raw_since(0), PASTE_ON),
        "bracketed paste never turned on"
    );

    t.send("n");
    t.expect("Ctrl-S or Enter on an empty line saves");
    // Keys that would act on the main screen (d completes the step, q
    // quits, Enter runs) and a blank line that would save the note early.
    let text = "disk full on mq-2\nd q\n\nthen Enter a\nlast line";
    t.send(bracketed(text));
    t.expect("last line");
    t.send("\x13"); // Ctrl-S
    let recs = wait_journal(dir.path(), |e| matches!(e, Event::Note { .. }));
    let notes: Vec<&String> = recs
        .iter()
        .filter_map(|r| match &r.event {
            Event::Note { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(notes, [&text.to_string()], "the paste was not one note");
    t.expect("note saved");
    assert!(
        !recs.iter().any(|r| matches!(
            r.event,
            Event::StepCompleted { .. } | Event::CommandStarted { .. } | Event::TitleSet { .. }
        )),
        "pasted text acted as keys"
    );

    t.send("q");
    t.expect("Quit?");
    let from = t.raw_len();
    t.send("y");
    t.wait_exit(WAIT).expect("exits after q y");
    assert!(
        contains(&t.raw_since(from), PASTE_OFF),
        "bracketed paste left on after quitting"
    );
}

#[test]
fn a_pasted_id_is_refused_by_the_typed_confirmation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("write");
    let var = format!("file={}", victim.display());
    let mut t = start("basic.yaml", "Paste confirm", dir.path(), &[&var]);
    t.expect("1 ▶ Look");
    t.send("jj\r");
    t.expect("Type wipe and press Enter");

    t.send(bracketed("wipe\r"));
    // The refusal is drawn inside the dialog, which stays open.
    t.expect_all(&[
        "Confirm dangerous command",
        "typed confirmation: paste refused, type it",
    ]);
    assert!(victim.exists(), "a pasted id ran the command");
    // Nothing confirmed, nothing started.
    assert!(!journal(dir.path()).iter().any(|r| matches!(
        r.event,
        Event::ConfirmationAnswered { .. } | Event::CommandStarted { .. }
    )));

    // Typed, it runs.
    t.send("wipe\r");
    wait_journal(dir.path(), |e| matches!(e, Event::CommandFinished { .. }));
    assert!(!victim.exists(), "the typed id did not run the command");
}

#[test]
fn a_100kb_paste_into_the_note_is_cut_at_64kib_with_a_message_and_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = start("basic.yaml", "Big paste", dir.path(), &[]);
    t.expect_all(&["1 ▶ Look", "q quit"]);
    t.send("n");
    t.expect("Ctrl-S or Enter on an empty line saves");
    // Lines of keys that would act on the main screen if read as keys.
    let line = "d t a q x s R 0123456789 abcdefghijklmnopqrstuvwxyz\n";
    let text = line.repeat(100 * 1024 / line.len() + 1);
    t.send(bracketed(&text));
    t.expect("paste cut");
    t.send("\x13"); // Ctrl-S
    let recs = wait_journal(dir.path(), |e| matches!(e, Event::Note { .. }));
    let note = recs
        .iter()
        .find_map(|r| match &r.event {
            Event::Note { text, .. } => Some(text.clone()),
            _ => None,
        })
        .expect("a note");
    assert_eq!(note.len(), 64 * 1024);
    assert!(text.starts_with(&note), "the note is the paste's start");
    assert!(
        !recs.iter().any(|r| matches!(
            r.event,
            Event::StepCompleted { .. } | Event::CommandStarted { .. } | Event::TitleSet { .. }
        )),
        "pasted text acted as keys"
    );
}

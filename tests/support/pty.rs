//! A pseudo-terminal harness: runs the real `runbook` binary in a PTY of a
//! fixed size, feeds everything it prints through a vt100 emulator, and lets
//! a test wait (with a deadline, never a fixed sleep) for the screen to show
//! something. The child is killed when the harness is dropped, so a failing
//! test never leaves a full-screen program behind.
//!
//! Shared by tests/e2e_*.rs and benches/tui_pty.rs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// What the reader thread collects.
struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// Set when the PTY reports end of file or an error (the child is gone).
    closed: bool,
}

/// The binary under test running in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    shared: Arc<Mutex<Shared>>,
    /// Process id of the binary.
    pub pid: u32,
    /// How often [`Pty::wait_until`] looks at the screen (benchmarks use 1 ms).
    pub poll: Duration,
    exited: Option<portable_pty::ExitStatus>,
}

/// How to start the binary.
pub struct Launch<'a> {
    /// Path of the executable.
    pub program: &'a Path,
    /// Arguments.
    pub args: Vec<String>,
    /// Extra environment (applied after the defaults).
    pub env: Vec<(String, String)>,
    /// Variables removed from the inherited environment.
    pub env_remove: Vec<String>,
    /// Columns.
    pub cols: u16,
    /// Rows.
    pub rows: u16,
}

impl<'a> Launch<'a> {
    /// `program args…` at 100×30 with an English UTF-8 locale. The user's
    /// config file is not read (its webhooks would page real people): a
    /// test that wants one sets `RUNBOOK_CONFIG`.
    pub fn new(program: &'a Path, args: &[&str]) -> Launch<'a> {
        Launch {
            program,
            args: args.iter().map(|s| s.to_string()).collect(),
            env: vec![(
                "RUNBOOK_CONFIG".into(),
                "/nonexistent/runbook-tests/config.toml".into(),
            )],
            env_remove: vec![],
            cols: 100,
            rows: 30,
        }
    }

    /// Adds an environment variable.
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Removes an inherited environment variable.
    pub fn env_remove(mut self, k: &str) -> Self {
        self.env_remove.push(k.into());
        self
    }

    /// Sets the terminal size.
    pub fn size(mut self, cols: u16, rows: u16) -> Self {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Starts the program.
    pub fn spawn(self) -> Pty {
        Pty::spawn(self)
    }
}

fn nz(v: u16) -> NonZeroU16 {
    NonZeroU16::new(v.max(1)).unwrap_or(NonZeroU16::MIN)
}

impl Pty {
    fn spawn(l: Launch<'_>) -> Pty {
        let size = PtySize {
            rows: l.rows,
            cols: l.cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("openpty");
        let mut cmd = CommandBuilder::new(l.program);
        cmd.args(&l.args);
        cmd.env("TERM", "xterm-256color");
        // English unless a test asks otherwise: the program's messages
        // follow LC_ALL, LC_MESSAGES, LANG.
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_MESSAGES");
        cmd.env_remove("RUNBOOK_LOG_DIR");
        // Colour is asked for by the tests that want none.
        cmd.env_remove("NO_COLOR");
        for k in &l.env_remove {
            cmd.env_remove(k);
        }
        for (k, v) in &l.env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        // Our copy of the slave must go, or the reader never sees end of file.
        drop(pair.slave);
        let pid = child.process_id().expect("child pid");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(nz(l.rows), nz(l.cols), 0),
            raw: Vec::new(),
            closed: false,
        }));
        let sink = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 64 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                        s.parser.process(&buf[..n]);
                        s.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        });
        Pty {
            child,
            master: pair.master,
            writer,
            shared,
            pid,
            poll: Duration::from_millis(5),
            exited: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.lock().parser.screen().contents()
    }

    /// The screen row by row, each row as one string per column (a wide
    /// character's second column is the empty string).
    pub fn cells(&self) -> Vec<Vec<String>> {
        let s = self.lock();
        let screen = s.parser.screen();
        let (rows, cols) = screen.size();
        (0..rows.get())
            .map(|r| {
                (0..cols.get())
                    .map(|c| {
                        screen
                            .cell(r, c)
                            .map(|cell| {
                                if cell.is_wide_continuation() {
                                    String::new()
                                } else if cell.has_contents() {
                                    cell.contents().to_string()
                                } else {
                                    " ".to_string()
                                }
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    }

    /// Row and column where `needle` (narrow characters only) first appears.
    pub fn find(&self, needle: &str) -> Option<(u16, u16)> {
        let want: Vec<String> = needle.chars().map(|c| c.to_string()).collect();
        for (r, row) in self.cells().iter().enumerate() {
            for c in 0..row.len().saturating_sub(want.len() - 1) {
                if row[c..c + want.len()] == want[..] {
                    return Some((r as u16, c as u16));
                }
            }
        }
        None
    }

    /// Foreground colour of a cell.
    pub fn fg(&self, row: u16, col: u16) -> vt100::Color {
        self.lock()
            .parser
            .screen()
            .cell(row, col)
            .map_or(vt100::Color::Default, |c| c.fgcolor())
    }

    /// Whether the emulated terminal is on the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.lock().parser.screen().alternate_screen()
    }

    /// Number of raw bytes received so far.
    pub fn raw_len(&self) -> usize {
        self.lock().raw.len()
    }

    /// Raw bytes received from `offset` on.
    pub fn raw_since(&self, offset: usize) -> Vec<u8> {
        let s = self.lock();
        s.raw[offset.min(s.raw.len())..].to_vec()
    }

    /// Waits until `cond(screen text)` holds; returns the screen, or `Err`
    /// with the last screen when `timeout` passes.
    pub fn wait_until(
        &self,
        timeout: Duration,
        cond: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.screen();
            if cond(&text) {
                return Ok(text);
            }
            if Instant::now() >= deadline {
                return Err(text);
            }
            std::thread::sleep(self.poll);
        }
    }

    /// Waits for `needle` on screen; panics with the screen if it never shows.
    pub fn expect(&self, needle: &str) -> String {
        self.expect_within(needle, Duration::from_secs(10))
    }

    /// Like [`Pty::expect`] with a chosen deadline.
    pub fn expect_within(&self, needle: &str, timeout: Duration) -> String {
        match self.wait_until(timeout, |s| s.contains(needle)) {
            Ok(s) => s,
            Err(s) => panic!("screen never showed {needle:?} within {timeout:?}; screen:\n{s}"),
        }
    }

    /// Waits until every needle is on screen at once (a frame is written in
    /// pieces, so checking one needle and then reading others can see half a
    /// frame); panics with the screen if that never happens.
    pub fn expect_all(&self, needles: &[&str]) -> String {
        match self.wait_until(Duration::from_secs(10), |s| {
            needles.iter().all(|n| s.contains(n))
        }) {
            Ok(s) => s,
            Err(s) => {
                let missing: Vec<&&str> = needles.iter().filter(|n| !s.contains(**n)).collect();
                panic!("screen never showed {missing:?}; screen:\n{s}")
            }
        }
    }

    /// Sends bytes as if typed.
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.writer.write_all(bytes.as_ref()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the emulator.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // Emulator first: the program redraws as soon as it sees the new
        // size, and that frame must land on a screen of the new size.
        self.lock().parser.set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Sends a signal to the program.
    pub fn signal(&self, sig: libc::c_int) {
        // SAFETY: plain syscall on our own child's pid.
        unsafe {
            libc::kill(self.pid as libc::pid_t, sig);
        }
    }

    /// The exit status, if the program has exited.
    pub fn try_exit(&mut self) -> Option<portable_pty::ExitStatus> {
        if self.exited.is_none() {
            self.exited = self.child.try_wait().ok().flatten();
        }
        self.exited.clone()
    }

    /// Waits (bounded) for the program to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(st) = self.try_exit() {
                // The exit can be seen before the reader thread has the last
                // bytes the program wrote; callers read them next.
                self.wait_output_closed(Duration::from_secs(5));
                return Some(st);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the PTY has delivered everything the program wrote
    /// (end of file on the master side), bounded.
    pub fn wait_output_closed(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.lock().closed {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    /// Whether the program is still running.
    pub fn alive(&mut self) -> bool {
        self.try_exit().is_none()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.try_exit().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// CPU time (user + system, clock ticks) of a process, from /proc/<pid>/stat.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces; fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state); utime is field 14, stime 15.
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Whether `pid` names a live (not zombie) process.
pub fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        Ok(stat) => {
            let state = stat
                .rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().next());
            !matches!(state, Some("Z" | "X") | None)
        }
    }
}

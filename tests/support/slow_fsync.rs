//! A sick disk for end-to-end tests: an `LD_PRELOAD` shim, compiled with
//! `cc` into a temporary directory, that holds up every `fsync`,
//! `fdatasync`, `syncfs` and `sync` of the program under test.
//!
//! The shim keeps its own state as files in its state directory, so a test
//! can assert the order of things without looking at a clock:
//! `started-N` is created when the N-th fsync-like call begins waiting,
//! `done-N` when it returns; `in-progress` exists while at least one waits.
//!
//! Two ways to wait: with a gate (the call waits until the test creates
//! the file `release` in the state directory; for tests), or for a fixed
//! time (`SLOW_FSYNC_MS`; for benchmarks).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

const SOURCE: &str = r#"
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int started, waiting;

static void touch(const char *dir, const char *name, int n) {
    char path[4096];
    if (n > 0)
        snprintf(path, sizeof path, "%s/%s-%d", dir, name, n);
    else
        snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
}

static void nap_ms(long ms) {
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0) {}
}

/* Holds the caller up; returns the call's number (0: shim not armed). */
static int hold(void) {
    const char *dir = getenv("SLOW_FSYNC_DIR");
    if (!dir)
        return 0;
    int n = __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
    touch(dir, "in-progress", 0);
    touch(dir, "started", n);
    const char *ms = getenv("SLOW_FSYNC_MS");
    if (ms) {
        nap_ms(atol(ms));
    } else {
        char release[4096];
        snprintf(release, sizeof release, "%s/release", dir);
        /* Bounded, so a test that never releases cannot hang forever. */
        for (int i = 0; i < 12000 && access(release, F_OK) != 0; i++)
            nap_ms(10);
    }
    return n;
}

static void done(int n) {
    const char *dir = getenv("SLOW_FSYNC_DIR");
    if (!dir || n == 0)
        return;
    if (__atomic_sub_fetch(&waiting, 1, __ATOMIC_SEQ_CST) == 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/in-progress", dir);
        unlink(path);
    }
    touch(dir, "done", n);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int n = hold();
    int r = real(fd);
    done(n);
    return r;
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int n = hold();
    int r = real(fd);
    done(n);
    return r;
}

int syncfs(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "syncfs");
    int n = hold();
    int r = real(fd);
    done(n);
    return r;
}

void sync(void) {
    static void (*real)(void);
    if (!real) real = (void (*)(void))dlsym(RTLD_NEXT, "sync");
    int n = hold();
    real();
    done(n);
}
"#;

/// The compiled shim and its state directory.
pub struct SlowFsync {
    /// The shared object to put in `LD_PRELOAD`.
    pub library: PathBuf,
    /// Where the shim keeps its state files.
    pub state: PathBuf,
}

impl SlowFsync {
    /// Compiles the shim into `dir` (with `cc`) and makes its state directory.
    pub fn build(dir: &Path) -> SlowFsync {
        let src = dir.join("slow_fsync.c");
        let library = dir.join("libslowfsync.so");
        let state = dir.join("fsync-state");
        std::fs::write(&src, SOURCE).expect("write the shim's source");
        std::fs::create_dir_all(&state).expect("make the shim's state directory");
        let out = Command::new("cc")
            .args(["-shared", "-fPIC", "-O1", "-o"])
            .arg(&library)
            .arg(&src)
            .arg("-ldl")
            .output()
            .expect("run cc (the slow-disk shim needs a C compiler)");
        assert!(
            out.status.success(),
            "compiling the slow-fsync shim failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        SlowFsync { library, state }
    }

    /// Environment for the program under test: every fsync waits until
    /// [`SlowFsync::release`] (no `ms`), or for `ms` milliseconds.
    pub fn env(&self, ms: Option<u64>) -> Vec<(String, String)> {
        let mut env = vec![
            ("LD_PRELOAD".into(), self.library.display().to_string()),
            ("SLOW_FSYNC_DIR".into(), self.state.display().to_string()),
        ];
        if let Some(ms) = ms {
            env.push(("SLOW_FSYNC_MS".into(), ms.to_string()));
        }
        env
    }

    /// Lets every held fsync (and every later one) through.
    pub fn release(&self) {
        std::fs::write(self.state.join("release"), b"").expect("release the shim");
    }

    /// fsync-like calls that have begun.
    pub fn started(&self) -> usize {
        self.count("started-")
    }

    /// fsync-like calls that have returned.
    pub fn done(&self) -> usize {
        self.count("done-")
    }

    /// True while some fsync-like call is being held up.
    pub fn in_progress(&self) -> bool {
        self.state.join("in-progress").exists()
    }

    fn count(&self, prefix: &str) -> usize {
        std::fs::read_dir(&self.state)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
                    .count()
            })
            .unwrap_or(0)
    }
}

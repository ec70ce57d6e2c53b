//! The live incident screen: terminal setup, the event loop, drawing.
//!
//! One loop, one place that changes state: input, ticks, job reports, host
//! and broker samples all become [`action::Action`]s applied by
//! [`app::App::update`], which returns effects that the [`runtime::Runtime`]
//! carries out through the job engine ([`crate::engine`]); drawing is a pure
//! function of the app and `now`.

pub mod action;
pub mod app;
pub mod draw;
pub mod editor;
pub mod headless;
pub mod host;
pub mod keys;
pub mod runtime;
pub mod terminal;
pub mod theme;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::incident::EndReason;
use action::Action;
use app::App;
use runtime::Runtime;

pub use crate::engine::now;

/// Background workers of a screen (a drill's fix detector and stop
/// condition): started inside the screen's runtime, they report through
/// the sender as actions, and stop when the screen ends.
pub type Background = Box<dyn FnOnce(mpsc::Sender<Action>) + Send>;

/// Runs the screen until the operator quits or a signal arrives. The
/// terminal is restored and `session_ended` journaled on every way out,
/// including a panic inside the loop.
pub fn run(app: &mut App) -> anyhow::Result<()> {
    run_with(app, None)
}

/// [`run`], with background workers.
pub fn run_with(app: &mut App, background: Option<Background>) -> anyhow::Result<()> {
    let rt = crate::engine::runtime()?;
    let mut term = terminal::enter()?;
    let mut runtime = {
        // The webhook senders start on this runtime.
        let _entered = rt.enter();
        Runtime::for_app(app)
    };
    let (btx, mut brx) = mpsc::channel(64);
    if let Some(start) = background {
        let _entered = rt.enter();
        start(btx);
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(event_loop(app, &mut runtime, &mut term, &mut brx))
    }));
    let reason = match &outcome {
        Ok(Ok(reason)) => reason.clone(),
        Ok(Err(e)) => EndReason::Error(e.to_string()),
        Err(_) => EndReason::Error("the program panicked (a bug; please report it)".into()),
    };
    // The terminal is given back first: the end may wait (bounded) for
    // jobs to stop and webhooks to answer, and says so on stderr.
    terminal::restore();
    let sending = runtime.notifications_in_flight();
    if sending > 0 {
        crate::text::eprintln!(
            "runbook: {}",
            crate::i18n::trf(
                crate::i18n::Lang::from_env(),
                "sending {} webhook message(s) before exiting (a few seconds at most)…",
                &[&sending]
            )
        );
    }
    rt.block_on(runtime.shutdown(app, reason, now));
    rt.shutdown_timeout(Duration::from_millis(200));
    match outcome {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(anyhow::anyhow!(
            "{}",
            crate::i18n::trf(
                crate::i18n::Lang::from_env(),
                "the program panicked; the incident was saved, `{}` continues it",
                &[&crate::invocation::runbook("resume")]
            )
        )),
    }
}

async fn event_loop(
    app: &mut App,
    runtime: &mut Runtime,
    term: &mut terminal::Term,
    background: &mut mpsc::Receiver<Action>,
) -> anyhow::Result<EndReason> {
    let mut input = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut host_rx = host::spawn_sampler(Duration::from_secs(2));
    let broker_on = Arc::new(AtomicBool::new(app.broker.visible));
    let mut broker_rx = spawn_broker_poller(app, broker_on.clone());
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    // Redraw only when something changed, and at most ~30 times a second
    // while output streams.
    let min_frame = Duration::from_millis(33);
    let mut dirty = true;
    // A keystroke is drawn at once, not at the next frame slot: the limit is
    // for streaming output, and the operator must see their key take effect.
    let mut key_pending = false;
    let mut last_draw = tokio::time::Instant::now() - min_frame;
    // The terminal starts with mouse capture on (see `terminal::setup`).
    let mut mouse_captured = true;
    // Acks and failures of the journal writer redraw the "saving…" mark
    // and the write-failure banner.
    let mut writes = app.session.watch_writes();
    loop {
        if app.mouse_capture != mouse_captured {
            mouse_captured = app.mouse_capture;
            terminal::set_mouse_capture(term, mouse_captured)?;
        }
        if dirty && (key_pending || last_draw.elapsed() >= min_frame) {
            let mut drawn = draw::Drawn::default();
            term.draw(|f| drawn = draw::draw(app, f, now()))?;
            // The keys scroll the detail by what this frame showed.
            drawn.keep(app);
            last_draw = tokio::time::Instant::now();
            dirty = false;
            key_pending = false;
        }
        let frame_due = last_draw + min_frame;
        let action = tokio::select! {
            biased;
            ev = input.next() => match ev {
                Some(Ok(TermEvent::Key(k))) => {
                    key_pending = true;
                    test_panic_hook(k);
                    keys::action_for(app, k)
                }
                Some(Ok(TermEvent::Mouse(m))) => keys::mouse_action(m),
                Some(Ok(TermEvent::Resize(..))) => Some(Action::Resize),
                Some(Ok(TermEvent::Paste(text))) => {
                    key_pending = true;
                    Some(Action::Paste(text))
                }
                Some(Ok(_)) => None,
                Some(Err(e)) => return Err(anyhow::anyhow!("reading the terminal failed: {e}")),
                None => Some(Action::Signal("EOF on terminal input".into())),
            },
            Some(a) = background.recv() => Some(a),
            Some(d) = runtime::next_delivery(&mut runtime.notifier) => Some(Action::Delivered(d)),
            _ = sigterm.recv() => Some(Action::Signal("SIGTERM".into())),
            _ = sighup.recv() => Some(Action::Signal("SIGHUP".into())),
            _ = sigint.recv() => Some(Action::Signal("SIGINT".into())),
            Some(update) = runtime.engine.next() => {
                // Drain a batch bounded in count and in time (a chunk of a
                // flood can be thousands of lines), so the keyboard is read
                // again within a few milliseconds.
                let t = now();
                let started = std::time::Instant::now();
                runtime.dispatch(app, Action::Work(update), t);
                for _ in 1..256 {
                    if started.elapsed() >= Duration::from_millis(4) {
                        break;
                    }
                    match runtime.engine.try_next() {
                        Some(u) => {
                            runtime.dispatch(app, Action::Work(u), t);
                        }
                        None => break,
                    }
                }
                dirty = true;
                None
            }
            _ = tick.tick() => Some(Action::Tick),
            Ok(()) = writes.changed() => {
                dirty = true;
                None
            }
            Some(h) = host_rx.recv() => Some(Action::Host(h)),
            Some(b) = broker_rx.recv() => Some(Action::Broker(b)),
            _ = tokio::time::sleep_until(frame_due), if dirty => None,
        };
        if let Some(action) = action {
            dirty = true;
            if let Some(reason) = runtime.dispatch(app, action, now()) {
                return Ok(reason);
            }
            broker_on.store(app.broker.visible, Ordering::Relaxed);
        }
    }
}

/// Debug builds only: with `RUNBOOK_TEST_PANIC=1`, F12 panics inside the
/// loop, so the end-to-end tests can prove that a panic restores the
/// terminal and journals `session_ended`. Release builds have no such key.
#[cfg(debug_assertions)]
#[expect(
    clippy::panic,
    reason = "the one deliberate panic: debug builds only, to test the panic hook"
)]
fn test_panic_hook(k: crossterm::event::KeyEvent) {
    if k.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("RUNBOOK_TEST_PANIC").is_some()
    {
        panic!("test panic requested with F12 (RUNBOOK_TEST_PANIC)");
    }
}

#[cfg(not(debug_assertions))]
fn test_panic_hook(_: crossterm::event::KeyEvent) {}

/// Polls the management API every 5 s while the panel is visible.
fn spawn_broker_poller(
    app: &App,
    visible: Arc<AtomicBool>,
) -> mpsc::Receiver<Result<crate::probe::broker::BrokerSnapshot, String>> {
    let (tx, rx) = mpsc::channel(2);
    let api = app.vars.get("mgmt_url").map(str::to_string);
    let user = app.vars.get("mgmt_user").unwrap_or("guest").to_string();
    let password = app.vars.get("mgmt_password").unwrap_or("guest").to_string();
    let lang = app.lang();
    let Some(api) = api else {
        return rx;
    };
    tokio::spawn(async move {
        loop {
            if visible.load(Ordering::Relaxed) {
                let res = crate::probe::broker::poll(
                    &api,
                    &user,
                    &password,
                    Duration::from_secs(4),
                    lang,
                )
                .await
                .map_err(|e| e.describe(lang));
                if tx.send(res).await.is_err() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    rx
}

//! Background clients that make a drill look like production: an app that
//! publishes, one that consumes, a consumer stuck with unacked messages,
//! connections held open. Each is a task that reconnects after a failure
//! (as real clients do), so a fault shows up in its behaviour and a fix
//! brings it back; none of them ever stops the drill.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection, ConnectionProperties};

use super::model::{Traffic, TrafficKind};
use crate::runbook::Vars;

/// Time between a failure and the next attempt.
const RETRY: Duration = Duration::from_secs(1);
/// Longest a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What a client last did, for the trainer's view and the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientState {
    /// The traffic id.
    pub id: String,
    /// One line: `publishing`, `blocked: …`, `refused: …`.
    pub status: String,
}

/// The running clients; dropping it stops them.
#[derive(Debug)]
pub struct TrafficHandle {
    tasks: Vec<tokio::task::JoinHandle<()>>,
    states: Arc<Mutex<Vec<ClientState>>>,
}

impl TrafficHandle {
    /// Each client's last state, in scenario order.
    pub fn states(&self) -> Vec<ClientState> {
        self.states.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Stops every client (their connections close with the tasks).
    pub fn stop(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }
}

impl Drop for TrafficHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the scenario's clients on the current tokio runtime; `{{var}}`s in
/// their URLs and names come from `vars` (the sandbox's and the scenario's).
pub fn start(traffic: &[Traffic], vars: &Vars) -> TrafficHandle {
    let states = Arc::new(Mutex::new(
        traffic
            .iter()
            .map(|t| ClientState {
                id: t.id.clone(),
                status: "starting".into(),
            })
            .collect::<Vec<_>>(),
    ));
    let tasks = traffic
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let client = Client {
                index: i,
                spec: Traffic {
                    url: vars.render_text(&t.url),
                    exchange: t.exchange.as_ref().map(|e| vars.render_text(e)),
                    routing_key: t.routing_key.as_ref().map(|k| vars.render_text(k)),
                    queue: t.queue.as_ref().map(|q| vars.render_text(q)),
                    ..t.clone()
                },
                states: states.clone(),
            };
            tokio::spawn(client.run())
        })
        .collect();
    TrafficHandle { tasks, states }
}

struct Client {
    index: usize,
    spec: Traffic,
    states: Arc<Mutex<Vec<ClientState>>>,
}

impl Client {
    fn set(&self, status: impl Into<String>) {
        if let Ok(mut s) = self.states.lock()
            && let Some(c) = s.get_mut(self.index)
        {
            c.status = status.into();
        }
    }

    async fn run(self) {
        loop {
            let result = match self.spec.kind {
                TrafficKind::Publish => self.publish().await,
                TrafficKind::Consume => self.consume(false).await,
                TrafficKind::StuckConsumer => self.consume(true).await,
                TrafficKind::HoldConnections => self.hold().await,
            };
            match result {
                // A stuck consumer whose connection the trainee closed stays
                // gone (its process "crashed"): coming back would take the
                // messages again, and no fix could ever hold.
                Ok(()) if self.spec.kind == TrafficKind::StuckConsumer => {
                    self.set("gone: its connection was closed");
                    return;
                }
                Ok(()) => {}
                Err(e) => self.set(crate::text::one_line(&e)),
            }
            tokio::time::sleep(RETRY).await;
        }
    }

    async fn connect(&self, n: u32) -> Result<Connection, String> {
        let name = if n == 0 {
            self.spec.id.clone()
        } else {
            format!("{}-{n}", self.spec.id)
        };
        let props = ConnectionProperties::default().with_connection_name(name.into());
        match tokio::time::timeout(CONNECT_TIMEOUT, Connection::connect(&self.spec.url, props))
            .await
        {
            Ok(Ok(c)) => Ok(c),
            Ok(Err(e)) => Err(format!("cannot connect: {e}")),
            Err(_) => Err("cannot connect: timed out".into()),
        }
    }

    async fn publish(&self) -> Result<(), String> {
        let conn = self.connect(0).await?;
        let ch = conn.create_channel().await.map_err(|e| e.to_string())?;
        ch.confirm_select(ConfirmSelectOptions::default())
            .await
            .map_err(|e| e.to_string())?;
        let exchange = self.spec.exchange.clone().unwrap_or_default();
        let key = self.spec.routing_key.clone().unwrap_or_default();
        let every = Duration::from_millis(1000 / u64::from(self.spec.rate.max(1)));
        let mut n: u64 = 0;
        loop {
            n += 1;
            let body = format!("{{\"drill\":\"{}\",\"n\":{n}}}", self.spec.id);
            let confirm = ch
                .basic_publish(
                    exchange.clone().into(),
                    key.clone().into(),
                    BasicPublishOptions::default(),
                    body.as_bytes(),
                    BasicProperties::default().with_delivery_mode(2),
                )
                .await
                .map_err(|e| format!("publish failed: {e}"))?;
            match tokio::time::timeout(Duration::from_secs(10), confirm).await {
                Ok(Ok(c)) if c.is_nack() => self.set("publish refused (nack)"),
                Ok(Ok(_)) => self.set(format!("publishing ({n} sent)")),
                Ok(Err(e)) => return Err(format!("publish failed: {e}")),
                Err(_) => self.set("blocked: no confirm within 10 s"),
            }
            tokio::time::sleep(every).await;
        }
    }

    async fn consume(&self, stuck: bool) -> Result<(), String> {
        let conn = self.connect(0).await?;
        let ch = conn.create_channel().await.map_err(|e| e.to_string())?;
        // A stuck consumer takes everything (no prefetch limit) and never
        // acks; a healthy one takes a few at a time.
        let prefetch = if stuck { 0 } else { 50 };
        ch.basic_qos(prefetch, BasicQosOptions::default())
            .await
            .map_err(|e| e.to_string())?;
        let queue = self.spec.queue.clone().unwrap_or_default();
        let mut consumer = ch
            .basic_consume(
                queue.into(),
                self.spec.id.clone().into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(|e| format!("cannot consume: {e}"))?;
        self.set(if stuck {
            "consuming (never acks)"
        } else {
            "consuming"
        });
        let mut n: u64 = 0;
        while let Some(delivery) = consumer.next().await {
            let delivery = match delivery {
                Ok(d) => d,
                // Closed under it after it had started: for a stuck
                // consumer that is the end (see `run`).
                Err(_) if stuck => return Ok(()),
                Err(e) => return Err(format!("consumer stopped: {e}")),
            };
            n += 1;
            if stuck {
                // Dropped without an ack: it stays unacked on the broker for
                // as long as the channel is open, and uses no memory here.
                if n.is_multiple_of(1000) {
                    self.set(format!("consuming (never acks; {n} held)"));
                }
                continue;
            }
            delivery
                .ack(BasicAckOptions::default())
                .await
                .map_err(|e| format!("ack failed: {e}"))?;
            if n.is_multiple_of(100) {
                self.set(format!("consuming ({n} acked)"));
            }
        }
        if stuck {
            return Ok(());
        }
        Err("consumer cancelled by the broker".into())
    }

    async fn hold(&self) -> Result<(), String> {
        let mut held = Vec::new();
        for i in 0..self.spec.count.max(1) {
            held.push(self.connect(i).await?);
        }
        self.set(format!("holding {} connection(s)", held.len()));
        // Wait until any of them is closed by the broker, then reconnect.
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if held.iter().any(|c| !c.status().connected()) {
                return Err("a held connection was closed".into());
            }
        }
    }
}

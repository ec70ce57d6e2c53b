//! Scenarios compiled into the binary (`drills/*.yaml`) and the definitions
//! files they load (`drills/seeds/*.json`).

macro_rules! files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../drills/", $dir, $name)))),*]
    };
}

const SCENARIOS: &[(&str, &str)] = files!("":
    "auth-failure.yaml",
    "binding-removed.yaml",
    "disk-full.yaml",
    "disk-limit.yaml",
    "memory-alarm-backlog.yaml",
    "missing-permissions.yaml",
    "missing-vhost.yaml",
    "node-down.yaml",
    "node-will-not-start.yaml",
    "partition.yaml",
    "queue-backlog.yaml",
    "reject-publish.yaml",
    "stuck-consumer.yaml",
    "vhost-connection-limit.yaml",
    "vhost-down.yaml",
);

const SEEDS: &[(&str, &str)] = files!("seeds/": "orders.json");

/// (file name, text) of every embedded scenario.
pub fn all() -> &'static [(&'static str, &'static str)] {
    SCENARIOS
}

/// The embedded definitions file at `seeds/NAME` (as a scenario names it).
pub fn seed(rel: &str) -> Option<&'static str> {
    let name = rel
        .strip_prefix("./")
        .unwrap_or(rel)
        .strip_prefix("seeds/")?;
    SEEDS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// `seeds/orders.json`, … for messages.
pub fn seed_names() -> Vec<String> {
    SEEDS.iter().map(|(n, _)| format!("seeds/{n}")).collect()
}

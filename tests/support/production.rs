//! The production broker (rabbit@localhost on 5672/15672) as a test sees
//! it: everything a drill could change, read-only, so a test can assert that
//! the broker ends exactly as it began.

use std::process::Command;

/// One read-only view: vhosts, users, permissions, queues, exchanges,
/// bindings, policies, limits, the memory watermark, the disk limit and the
/// alarms, each as the CLI printed it (sorted where order is not stable).
pub fn snapshot() -> String {
    let mut out = String::new();
    let ctl = |args: &[&str]| -> String {
        let o = Command::new("rabbitmqctl")
            .args(["-n", "rabbit@localhost", "-q"])
            .args(args)
            .env_remove("RABBITMQ_CONF_ENV_FILE")
            .env_remove("RABBITMQ_NODENAME")
            .output()
            .expect("rabbitmqctl runs");
        let mut lines: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        lines.sort();
        format!(
            "$ rabbitmqctl {} (rc {:?})\n{}\n",
            args.join(" "),
            o.status.code(),
            lines.join("\n")
        )
    };
    let vhosts = ctl(&["list_vhosts", "name"]);
    out.push_str(&vhosts);
    out.push_str(&ctl(&["list_users"]));
    out.push_str(&ctl(&["list_user_limits"]));
    for vhost in vhosts.lines().skip(1).filter(|l| !l.is_empty()) {
        for what in [
            &["list_permissions", "-p"][..],
            &["list_queues", "-p"],
            &["list_exchanges", "-p"],
            &["list_bindings", "-p"],
            &["list_policies", "-p"],
            &["list_vhost_limits", "-p"],
        ] {
            let mut args: Vec<&str> = what.to_vec();
            args.push(vhost);
            if args[0] == "list_queues" {
                args.extend(["name", "durable", "policy"]);
            }
            out.push_str(&ctl(&args));
        }
    }
    out.push_str(&ctl(&[
        "eval",
        "{vm_memory_monitor:get_vm_memory_high_watermark(), rabbit_disk_monitor:get_disk_free_limit()}.",
    ]));
    let alarms = Command::new("rabbitmq-diagnostics")
        .args(["-n", "rabbit@localhost", "-q", "alarms"])
        .env_remove("RABBITMQ_CONF_ENV_FILE")
        .output()
        .expect("rabbitmq-diagnostics runs");
    out.push_str("$ rabbitmq-diagnostics alarms\n");
    out.push_str(&String::from_utf8_lossy(&alarms.stdout));
    out
}

//! The destructive-command net, spelling by spelling: every row is a command
//! line and whether it may run without a typed confirmation (`Run`) or needs
//! one (`Ask`). Includes every spelling named in issue 9 §1 and every command
//! of the shipped runbook as rendered with its defaults. A failure lists every
//! mismatching row with the reason the net gave.

use runbook::danger::destructive_reason;
use runbook::runbook::embedded;
use runbook::runbook::template::resolve_vars;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Run,
    Ask,
}
use Verdict::{Ask, Run};

const TABLE: &[(&str, Verdict)] = &[
    // ── issue 9 §1: compound commands around a changing command
    ("if true; then rabbitmqctl stop_app; fi", Ask),
    (
        "if rabbitmqctl -q status; then :; else rabbitmqctl reset; fi",
        Ask,
    ),
    (
        "if false; then :; elif true; then systemctl stop rabbitmq-server; fi",
        Ask,
    ),
    (
        "for q in a b; do rabbitmqctl delete_queue \"$q\"; done",
        Ask,
    ),
    ("for ((i=0; i<1; i++)); do rabbitmqctl stop_app; done", Ask),
    ("while true; do rabbitmqctl stop_app; break; done", Ask),
    ("until false; do systemctl stop rabbitmq-server; done", Ask),
    ("{ rabbitmqctl reset; }", Ask),
    ("{ echo hi; } && { rabbitmqctl stop_app; }", Ask),
    ("case x in x) rabbitmqctl stop_app;; esac", Ask),
    ("f() { rabbitmqctl stop_app; }; f", Ask),
    ("function f { rm -rf /tmp/x; }", Ask),
    ("(cd /tmp && rm -rf x)", Ask),
    ("( ( rabbitmqctl stop_app ) )", Ask),
    ("! rabbitmqctl stop_app", Ask),
    ("time rabbitmqctl stop_app", Ask),
    ("coproc rabbitmqctl stop_app", Ask),
    ("[[ -n $(rabbitmqctl stop_app) ]]", Ask),
    ("(( $(rabbitmqctl stop_app; echo 1) ))", Ask),
    ("echo ${x:-$(rabbitmqctl stop_app)}", Ask),
    ("echo $(( $(rm -f /tmp/x) + 1 ))", Ask),
    ("x=$(rabbitmqctl stop_app)", Ask),
    ("export X=\"$(rm -rf /tmp/x)\"", Ask),
    ("cat <(rabbitmqctl stop_app)", Ask),
    ("diff <(ls /a) <(ls /b)", Run),
    ("echo `rabbitmqctl reset`", Ask),
    ("echo \"`rm -rf /tmp/x`\"", Ask),
    ("cat <<EOF\n$(rabbitmqctl stop_app)\nEOF", Ask),
    ("cat <<'EOF'\n$(rabbitmqctl stop_app)\nEOF", Run),
    ("trap 'rm -rf /tmp/x' EXIT", Ask),
    ("trap 'echo bye' EXIT", Run),
    // ── issue 9 §1: strings run by a shell, eval, pipes into a shell
    ("sh -c 'rm -rf /tmp/x'", Ask),
    ("bash -c 'rabbitmqctl stop_app'", Ask),
    ("dash -c 'rabbitmqctl stop_app'", Ask),
    ("zsh -c 'rabbitmqctl stop_app'", Ask),
    ("bash -lc 'rabbitmqctl reset'", Ask),
    ("bash -o pipefail -c 'rabbitmqctl stop_app'", Ask),
    ("/bin/sh -c \"sh -c 'rabbitmqctl stop_app'\"", Ask),
    ("sh -c 'rabbitmqctl -q list_queues'", Run),
    ("bash -c 'df -h; free -m'", Run),
    ("sh -c \"$CMD\"", Ask),
    ("sh -c 'echo $1' x", Run),
    ("eval 'rabbitmqctl stop_app'", Ask),
    ("eval rabbitmqctl stop_app", Ask),
    ("eval \"$CMD\"", Ask),
    ("eval 'echo hi'", Run),
    ("echo rabbitmqctl stop_app | sh", Ask),
    ("echo 'rm -rf /tmp/x' | bash", Ask),
    ("curl -s http://localhost/x.sh | bash -s", Ask),
    ("sh /tmp/fix.sh", Ask),
    ("source /tmp/fix.sh", Ask),
    (". /tmp/fix.sh", Ask),
    ("bash <<'EOF'\nrabbitmqctl stop_app\nEOF", Ask),
    ("bash <<'EOF'\nrabbitmqctl -q status\nEOF", Run),
    ("sh <<< 'rm -rf /tmp/x'", Ask),
    ("sudo sh -c 'rabbitmqctl stop_app'", Ask),
    ("su rabbitmq -c 'rabbitmqctl stop_app'", Ask),
    ("su - rabbitmq -c 'rabbitmqctl -q status'", Run),
    ("ssh node2 rabbitmqctl stop_app", Ask),
    ("ssh node2 'rabbitmqctl -q cluster_status'", Run),
    // A value filled into a remote command arrives shell-quoted: still judged.
    ("ssh node2 'rabbitmqctl stop_app'", Ask),
    // ssh joins its arguments with spaces: the remote shell splits them again.
    ("ssh node2 sudo 'rm -rf /var/lib/rabbitmq'", Ask),
    ("ssh node2 'sudo' 'rabbitmqctl stop_app'", Ask),
    ("echo 'x; touch /tmp/marker'", Run),
    ("sh -c 'echo '\''x'\''; rm -rf /tmp/y'", Ask),
    ("watch -n 5 'rabbitmqctl -q list_queues'", Run),
    ("watch rabbitmqctl stop_app", Ask),
    ("echo stop_app | xargs rabbitmqctl", Ask),
    ("echo /tmp/x | xargs rm -f", Ask),
    ("ls | xargs -n1 echo", Ask),
    ("alias x='rabbitmqctl stop_app'", Ask),
    ("env -S 'rabbitmqctl stop_app'", Ask),
    // ── issue 9 §1: the command name from a variable or substitution
    ("CTL=rabbitmqctl; $CTL stop_app", Ask),
    ("\"$CTL\" status", Ask),
    ("$(echo rabbitmqctl) stop_app", Ask),
    ("`echo rm` -rf /tmp/x", Ask),
    ("${CTL:-rabbitmqctl} stop_app", Ask),
    ("$'\\x72m' -rf /tmp/x", Ask),
    ("/bin/r? -rf /tmp/x", Ask),
    ("{rm,-rf,/tmp/x}", Ask),
    ("r''m -rf /tmp/x", Ask),
    ("\\rm -rf /tmp/x", Ask),
    ("'rabbitmqctl' stop_app", Ask),
    ("RM -rf /tmp/x", Ask),
    // ── issue 9 §1: curl and wget
    ("curl -XDELETE http://localhost:15672/api/queues/%2F/q", Ask),
    ("curl -XPUT http://localhost:15672/api/vhosts/v", Ask),
    ("curl -XPOST http://localhost:15672/api/definitions", Ask),
    (
        "curl -sSfXDELETE http://localhost:15672/api/queues/%2F/q",
        Ask,
    ),
    (
        "curl -X DELETE http://localhost:15672/api/queues/%2F/q",
        Ask,
    ),
    (
        "curl -X delete http://localhost:15672/api/queues/%2F/q",
        Ask,
    ),
    (
        "curl --request=PUT http://localhost:15672/api/vhosts/v",
        Ask,
    ),
    (
        "curl --request PUT http://localhost:15672/api/vhosts/v",
        Ask,
    ),
    ("curl --request PATCH http://x/", Ask),
    ("curl --json '{}' http://localhost:15672/api/x", Ask),
    ("curl --data-raw '{}' http://localhost:15672/api/x", Ask),
    ("curl --data-binary @f http://x/", Ask),
    ("curl --data-urlencode a=b http://x/", Ask),
    ("curl -d x=1 http://x/", Ask),
    ("curl -sd x=1 http://x/", Ask),
    ("curl -F file=@x http://x/", Ask),
    ("curl --form file=@x http://x/", Ask),
    ("curl -T f http://x/", Ask),
    ("curl --upload-file f http://x/", Ask),
    ("curl -o /etc/rabbitmq/rabbitmq.conf http://x/c", Ask),
    ("curl -O http://x/c", Ask),
    ("curl -K /tmp/opts http://x/", Ask),
    ("curl $OPTS http://x/", Ask),
    (
        "curl -s -u guest:guest http://localhost:15672/api/overview",
        Run,
    ),
    ("curl -sf -X GET http://localhost:15672/api/overview", Run),
    ("curl -I http://localhost:15672/", Run),
    (
        "curl -s -o /dev/null -w '%{http_code}' http://localhost:15672/",
        Run,
    ),
    (
        "curl -s http://localhost:15672/api/queues | python3 -m json.tool",
        Run,
    ),
    ("wget --method=DELETE http://x/api/queues/%2F/q", Ask),
    ("wget --method DELETE http://x/", Ask),
    ("wget --meth=PUT http://x/", Ask),
    ("wget --post-data 'a=b' -O - http://x/", Ask),
    ("wget --body-file=f --method=PUT -O - http://x/", Ask),
    ("wget http://x/file", Ask),
    ("wget -O /etc/rabbitmq/x http://x/file", Ask),
    ("wget -qO- http://localhost:15672/api/overview", Run),
    ("wget -q -O - http://localhost:15672/api/overview", Run),
    ("wget --spider http://localhost:15672/", Run),
    // ── issue 9 §1: find
    ("find /var/log/rabbitmq -name '*.gz' -delete", Ask),
    ("find /tmp -name x -exec rm {} +", Ask),
    ("find /tmp -name x -exec rm -f {} \\;", Ask),
    ("find /tmp -execdir sh -c 'rm \"$1\"' _ {} \\;", Ask),
    ("find /tmp -ok rm {} \\;", Ask),
    ("find /tmp -fprint /etc/rabbitmq/x", Ask),
    ("find /tmp -exec {} \\;", Ask),
    ("find /var/log/rabbitmq -name '*.log' -mtime +2", Run),
    ("find /var/log/rabbitmq -exec ls -l {} +", Run),
    ("find /var/log -exec grep -l error {} \\;", Run),
    // ── issue 9 §1: writing onto the broker's files (any destination asks)
    ("cp /tmp/rabbitmq.conf /etc/rabbitmq/rabbitmq.conf", Ask),
    ("cp -a /etc/rabbitmq /var/backups/rabbitmq/etc", Ask),
    ("install -m 644 /tmp/x /etc/rabbitmq/enabled_plugins", Ask),
    ("ln -sf /tmp/x /etc/rabbitmq/rabbitmq.conf", Ask),
    ("rsync -a --delete /tmp/empty/ /var/lib/rabbitmq/", Ask),
    ("rsync -a /tmp/x/ /var/lib/rabbitmq/mnesia/", Ask),
    ("mv /var/lib/rabbitmq/mnesia /tmp/old", Ask),
    ("tee /etc/rabbitmq/rabbitmq.conf < /tmp/x", Ask),
    ("echo x | tee -a /etc/rabbitmq/rabbitmq.conf", Ask),
    ("echo x | tee /dev/null", Run),
    ("dd if=/dev/zero of=/var/lib/rabbitmq/x bs=1M count=1", Ask),
    ("truncate -s 0 /var/log/rabbitmq/rabbit@host.log", Ask),
    ("chmod 600 /var/lib/rabbitmq/.erlang.cookie", Ask),
    ("chown -R rabbitmq: /var/lib/rabbitmq", Ask),
    ("mkdir -p /var/backups/rabbitmq", Ask),
    ("touch /etc/rabbitmq/rabbitmq.conf", Ask),
    ("sed -i 's/a/b/' /etc/rabbitmq/rabbitmq.conf", Ask),
    ("sed -Ei.bak 's/a/b/' /etc/rabbitmq/rabbitmq.conf", Ask),
    ("sed -n '1,5p' /etc/rabbitmq/rabbitmq.conf", Run),
    ("sort -o /etc/rabbitmq/x /tmp/y", Ask),
    ("tar -xzf /tmp/b.tgz -C /etc/rabbitmq", Ask),
    ("tar tzf /tmp/b.tgz", Run),
    ("gzip /var/log/rabbitmq/x.log", Ask),
    ("zcat /var/log/rabbitmq/x.log.gz | tail", Run),
    ("echo x > /etc/rabbitmq/rabbitmq.conf", Ask),
    ("echo x >| /tmp/x", Ask),
    ("echo x &> /tmp/x", Ask),
    ("echo x >& /tmp/x", Ask),
    ("exec 3> /tmp/x", Ask),
    ("echo x > \"$OUT\"", Ask),
    ("rabbitmqctl status 2>&1 >/dev/null | head", Run),
    ("rabbitmqctl status >/dev/stderr 2>/dev/null", Run),
    ("echo x >&2", Run),
    ("exec 3>&-", Run),
    // ── issue 9 §1: containers and clusters
    ("docker rm -f rabbitmq", Ask),
    ("docker stop rabbitmq", Ask),
    ("docker kill rabbitmq", Ask),
    ("docker restart rabbitmq", Ask),
    ("docker container rm rabbitmq", Ask),
    ("docker compose down", Ask),
    ("docker run --rm alpine true", Ask),
    ("docker exec rabbitmq rabbitmqctl stop_app", Ask),
    ("docker exec -it rabbitmq rabbitmqctl -q list_queues", Run),
    ("docker ps -a", Run),
    ("docker logs --tail 100 rabbitmq", Run),
    ("docker compose -f x.yml ps", Run),
    ("docker container inspect rabbitmq", Run),
    ("kubectl delete pod rabbitmq-0", Ask),
    ("kubectl -n mq delete pod rabbitmq-0", Ask),
    ("kubectl apply -f x.yaml", Ask),
    ("kubectl scale sts rabbitmq --replicas=0", Ask),
    ("kubectl rollout restart statefulset/rabbitmq", Ask),
    ("kubectl rollout status statefulset/rabbitmq", Run),
    ("kubectl -n mq get pods -o wide", Run),
    ("kubectl logs -n mq rabbitmq-0 --tail 100", Run),
    ("kubectl exec -n mq rabbitmq-0 -- rabbitmqctl stop_app", Ask),
    (
        "kubectl exec -n mq rabbitmq-0 -- rabbitmq-diagnostics -q status",
        Run,
    ),
    // ── issue 9 §1: interpreters
    (
        "python3 -c 'import shutil; shutil.rmtree(\"/var/lib/rabbitmq\")'",
        Ask,
    ),
    ("python3 -c 'print(1)'", Ask),
    ("python -c 'import os; os.remove(\"/tmp/x\")'", Ask),
    ("perl -e 'unlink \"/tmp/x\"'", Ask),
    ("perl -ne 'print if /x/' /tmp/x", Ask),
    ("ruby -e 'File.delete(\"/tmp/x\")'", Ask),
    ("node -e 'require(\"fs\").rmSync(\"/tmp/x\")'", Ask),
    ("python3 /tmp/fix.py", Ask),
    ("python3 --version", Run),
    // ── issue 9 §1: case-insensitive verbs of the RabbitMQ CLIs
    ("rabbitmqctl RESET", Ask),
    ("rabbitmqctl Stop_App", Ask),
    ("rabbitmqctl stop-app", Ask),
    ("rabbitmqctl -q LIST_QUEUES", Run),
    ("rabbitmqctl --node rabbit@a --vhost / delete_queue q", Ask),
    ("rabbitmqctl -n rabbit@a force_boot", Ask),
    ("rabbitmqctl some_future_command", Ask),
    ("rabbitmqctl --longnames list_queues delete_queue", Ask),
    ("rabbitmqctl export_definitions /tmp/defs.json", Ask),
    ("rabbitmqctl export_definitions -", Run),
    ("rabbitmq-queues grow rabbit@a all", Ask),
    ("rabbitmq-queues delete_member q rabbit@a", Ask),
    ("rabbitmq-queues -q quorum_status q", Run),
    ("rabbitmq-plugins enable rabbitmq_management", Ask),
    ("rabbitmq-plugins disable rabbitmq_shovel", Ask),
    ("rabbitmq-plugins set rabbitmq_management", Ask),
    ("rabbitmq-plugins list -e", Run),
    ("rabbitmq-upgrade drain", Ask),
    ("rabbitmq-upgrade revive", Ask),
    ("rabbitmq-diagnostics remote_shell", Ask),
    ("rabbitmq-diagnostics -q check_local_alarms", Run),
    ("rabbitmq-streams delete_replica s rabbit@a", Ask),
    ("rabbitmqadmin delete queue name=q", Ask),
    ("rabbitmqadmin purge queue name=q", Ask),
    ("rabbitmqadmin declare queue name=q", Ask),
    ("rabbitmqadmin -u guest -p guest list queues", Run),
    ("rabbitmqadmin show overview", Run),
    // ── services, processes, host
    ("systemctl restart rabbitmq-server", Ask),
    ("systemctl daemon-reload", Ask),
    ("systemctl --no-pager STOP rabbitmq-server", Ask),
    ("systemctl is-active rabbitmq-server", Run),
    ("systemctl list-units --failed", Run),
    ("service rabbitmq-server restart", Ask),
    ("service rabbitmq-server status", Run),
    ("/etc/init.d/rabbitmq-server stop", Ask),
    ("/etc/init.d/rabbitmq-server status", Run),
    ("journalctl --vacuum-size=100M", Ask),
    ("journalctl -u rabbitmq-server --since today", Run),
    ("kill -9 1234", Ask),
    ("kill -0 1234", Run),
    ("pkill -f beam.smp", Ask),
    ("killall beam.smp", Ask),
    ("reboot", Ask),
    ("iptables -F", Ask),
    ("iptables -nL", Run),
    ("nft flush ruleset", Ask),
    ("sysctl -w vm.swappiness=1", Ask),
    ("sysctl vm.swappiness", Run),
    ("ip link set eth0 down", Ask),
    ("ip addr show", Run),
    ("hostname newname", Ask),
    ("date -s '2020-01-01'", Ask),
    ("date +%F", Run),
    ("crontab -r", Ask),
    ("crontab -l", Run),
    ("apt-get install -y rabbitmq-server", Ask),
    ("apt list --installed", Run),
    ("useradd x", Ask),
    ("epmd -kill", Ask),
    ("rabbitmq-server -detached", Ask),
    ("awk 'BEGIN { system(\"rm -rf /tmp/x\") }'", Ask),
    ("awk '{ print > \"/tmp/out\" }' /tmp/in", Ask),
    ("awk '{ print | \"sh\" }' /tmp/in", Ask),
    ("awk -f /tmp/prog.awk /tmp/in", Ask),
    ("awk -F: '$3 > 100 { print $1 }' /etc/passwd", Run),
    // ── wrappers are looked through
    ("sudo rabbitmqctl stop_app", Ask),
    ("sudo -u rabbitmq rabbitmqctl -q list_queues", Run),
    ("sudo -u rabbitmq -- rabbitmqctl reset", Ask),
    ("timeout 20 rabbitmqctl stop_app", Ask),
    ("timeout -s KILL 20 rabbitmqctl -q status", Run),
    ("env LANG=C rabbitmqctl reset", Ask),
    ("env -i PATH=/usr/bin rabbitmqctl -q status", Run),
    ("nice -n 10 rm -rf /tmp/x", Ask),
    ("nohup rabbitmqctl stop_app", Ask),
    ("ionice -c3 rm -rf /tmp/x", Ask),
    ("stdbuf -oL rabbitmqctl stop_app", Ask),
    ("stdbuf -oL tail -F /var/log/rabbitmq/x.log", Run),
    ("time rabbitmqctl -q status", Run),
    ("command rabbitmqctl stop_app", Ask),
    ("command -v rabbitmqctl", Run),
    ("exec rabbitmqctl stop_app", Ask),
    ("LANG=C rabbitmqctl stop_app", Ask),
    ("sudo timeout 5 env X=1 nice rabbitmqctl RESET", Ask),
    ("busybox rm -rf /tmp/x", Ask),
    ("chroot /mnt rm -rf /x", Ask),
    // ── lists and pipelines
    ("df -h && systemctl stop rabbitmq-server", Ask),
    ("false || rabbitmqctl stop_app", Ask),
    ("echo a; rabbitmqctl stop_app", Ask),
    ("rabbitmqctl stop_app &", Ask),
    ("echo a\nrabbitmqctl stop_app", Ask),
    ("rabbitmqctl status | head -50", Run),
    ("echo 'rm -rf / is a bad idea'", Run),
    ("echo \"rabbitmqctl reset\"", Run),
    ("printf '%s\\n' 'rabbitmqctl stop_app'", Run),
    ("grep -r 'kill -9' /var/log/rabbitmq", Run),
    ("tail -n 200 /var/log/rabbitmq/rabbit@host.log", Run),
    ("df -h; free -m", Run),
    ("uptime && uname -a", Run),
    ("ls -l /var/lib/rabbitmq | wc -l", Run),
    ("cat /etc/rabbitmq/rabbitmq.conf 2>/dev/null || true", Run),
    ("jq . /tmp/defs.json", Run),
    ("ss -tlnp | grep 5672", Run),
    // ── what brush-parser 0.4 would loop on, and other parser limits
    ("x << \"\" #", Ask),
    ("cat <<E$( ;<( <<- x ! ", Ask),
    ("$(<<-  functionsh ", Ask),
    ("cat <<EOF\nno end line", Ask),
    ("echo $((1<<2))", Ask), // `<<` is read as a here-document: asks, never hangs
    ("cat <<-EOF\n\tx\n\tEOF", Run),
    ("x=$(cat <<E\nx\nE\n)", Run),
    ("(( x > 1 ))", Run),
    ("[ -f /x ] && echo y", Run),
    ("sh -c \"echo $X\"", Ask),
    ("sh -c \"rabbitmqctl $VERB\"", Ask),
    // ── what the parser cannot read
    ("echo 'unterminated", Ask),
    ("if true; then echo x", Ask),
    ("echo $(", Ask),
    ("rabbitmqctl status )", Ask),
    // shipped: confirm/check-running
    (r##"rabbitmq-diagnostics -q check_running"##, Run),
    // shipped: confirm/status
    (r##"rabbitmq-diagnostics -q status"##, Run),
    // shipped: confirm/alarms-now
    (r##"rabbitmq-diagnostics -q alarms"##, Run),
    // shipped: confirm/authenticate-app-user
    (r##"rabbitmqctl -q authenticate_user guest guest"##, Run),
    // shipped: logs/log-tail
    (r##"rabbitmq-diagnostics -q log_tail -N 50"##, Run),
    // shipped: logs/log-file
    (r##"tail -n 200 /var/log/rabbitmq/*.log"##, Run),
    // shipped: logs/log-errors
    (
        r##"grep -h -i -E '\[(error|critical|alert|emergency)\]|alarm|crash|partition|BOOT FAILED|eaddrinuse' /var/log/rabbitmq/*.log | tail -n 100"##,
        Run,
    ),
    // shipped: logs/journal
    (
        r##"if command -v journalctl >/dev/null 2>&1; then
  journalctl -u rabbitmq-server -n 200 --no-pager
else
  echo "journalctl not installed; use log-file and startup-logs instead"
fi"##,
        Run,
    ),
    // shipped: logs/log-follow
    (r##"tail -n 20 -F /var/log/rabbitmq/*.log"##, Run),
    // shipped: logs/grep-auth
    (
        r##"grep -h -i -E 'login refused|invalid credentials|can only connect via localhost|access to vhost|not found|access_refused|not_allowed' /var/log/rabbitmq/*.log | tail -n 50"##,
        Run,
    ),
    // shipped: logs/grep-alarms
    (
        r##"grep -h -i -E 'resource limit alarm|publishers will be blocked|free disk space|memory high watermark|disk free limit' /var/log/rabbitmq/*.log | tail -n 50"##,
        Run,
    ),
    // shipped: logs/grep-connections
    (
        r##"opened=$(cat /var/log/rabbitmq/*.log | grep -c 'accepting AMQP connection')
closed=$(cat /var/log/rabbitmq/*.log | grep -c 'closing AMQP connection')
echo "connections opened in the log: $opened, closed: $closed"
grep -h -i -E 'file descriptor|emfile|enfile|reducing accept rate|connection limit|missed heartbeats|client unexpectedly closed' /var/log/rabbitmq/*.log | tail -n 50"##,
        Run,
    ),
    // shipped: logs/grep-cluster
    (
        r##"grep -h -i -E 'partition|inconsistent_database|nodedown|node down|rabbit_node_monitor|mirror|quorum|leader|election|ra_log' /var/log/rabbitmq/*.log | tail -n 80"##,
        Run,
    ),
    // shipped: logs/startup-logs
    (
        r##"tail -n 50 /var/log/rabbitmq/startup_log /var/log/rabbitmq/startup_err 2>/dev/null || echo "no startup_log/startup_err"
grep -h -E 'BOOT FAILED|eaddrinuse|application_start_failure|dist_port_already_used|Error description' /var/log/rabbitmq/*.log | tail -n 20
found=no
for f in /var/lib/rabbitmq/mnesia/../erl_crash.dump /var/log/rabbitmq/erl_crash.dump; do
  if [ -f "$f" ]; then found=yes; ls -l "$f"; grep -a -m1 '^Slogan' "$f"; fi
done
[ "$found" = yes ] || echo "no erl_crash.dump found""##,
        Run,
    ),
    // shipped: resources/df
    (
        r##"df -h /var/lib/rabbitmq/mnesia /var/log/rabbitmq /; df -i /var/lib/rabbitmq/mnesia"##,
        Run,
    ),
    // shipped: resources/du
    (
        r##"du -xh --max-depth=2 /var/lib/rabbitmq/mnesia /var/log/rabbitmq 2>/dev/null | sort -rh | head -20"##,
        Run,
    ),
    // shipped: resources/free
    (r##"free -m"##, Run),
    // shipped: resources/top
    (r##"top -bn1 | head -20"##, Run),
    // shipped: resources/beam-process
    (
        r##"ps -eo pid,user,etime,pcpu,rss,comm | awk 'NR==1 || /beam.smp|epmd/'"##,
        Run,
    ),
    // shipped: resources/memory-breakdown
    (
        r##"rabbitmq-diagnostics -q memory_breakdown --unit mb"##,
        Run,
    ),
    // shipped: resources/list-queues
    (
        r##"echo "name messages ready unacked consumers memory state type"
rabbitmqctl -q list_queues -p / name messages messages_ready messages_unacknowledged consumers memory state type --no-table-headers | sort -t "$(printf '\t')" -k2,2nr | head -30"##,
        Run,
    ),
    // shipped: resources/list-queues-all-vhosts
    (
        r##"rabbitmqadmin -U http://localhost:15672 -u guest -p guest list queues vhost name messages messages_unacknowledged consumers --sort=messages -R"##,
        Run,
    ),
    // shipped: resources/queues-by-memory
    (
        r##"echo "name messages memory_bytes type"
rabbitmqctl -q list_queues -p / name messages memory type --no-table-headers | sort -t "$(printf '\t')" -k3,3nr | head -15"##,
        Run,
    ),
    // shipped: resources/fd-limits
    (
        r##"pid=$(pgrep -o -x beam.smp || true)
if [ -n "$pid" ]; then grep -E 'Max open files|Max processes' /proc/$pid/limits; echo "open fds: $(ls /proc/$pid/fd | wc -l)"; else echo "beam.smp not running"; fi"##,
        Run,
    ),
    // shipped: config/config-file
    (
        r##"for f in /etc/rabbitmq/rabbitmq.conf /etc/rabbitmq/advanced.config /etc/rabbitmq/rabbitmq-env.conf /etc/rabbitmq/conf.d/*.conf; do
  echo "== $f"
  if [ -f "$f" ]; then grep -v -E '^[[:space:]]*(#|$)' "$f" | head -n 100; else echo "(absent)"; fi
done
echo "== enabled_plugins"; cat /etc/rabbitmq/enabled_plugins 2>/dev/null || echo "(absent)""##,
        Run,
    ),
    // shipped: config/environment-key-settings
    (
        r##"env_out=$(rabbitmq-diagnostics -q environment 2>&1) || { printf '%s\n' "$env_out"; exit 69; }
printf '%s\n' "$env_out" | grep -E '\{(vm_memory_high_watermark|vm_memory_high_watermark_paging_ratio|disk_free_limit|tcp_listeners|ssl_listeners|loopback_users|cluster_partition_handling|heartbeat|connection_max|channel_max|max_message_size|logger_level),'
printf '%s\n' "$env_out" | grep -A5 '{tcp_listen_options,'"##,
        Run,
    ),
    // shipped: config/environment
    (
        r##"rabbitmq-diagnostics -q environment | head -n 300"##,
        Run,
    ),
    // shipped: config/listeners
    (r##"rabbitmq-diagnostics -q listeners"##, Run),
    // shipped: config/plugins
    (r##"rabbitmq-plugins -q list -e"##, Run),
    // shipped: config/list-users
    (r##"rabbitmqctl -q list_users"##, Run),
    // shipped: config/list-vhosts
    (r##"rabbitmqctl -q list_vhosts name cluster_state"##, Run),
    // shipped: config/list-permissions
    (r##"rabbitmqctl -q list_permissions -p /"##, Run),
    // shipped: config/user-permissions
    (r##"rabbitmqctl -q list_user_permissions guest"##, Run),
    // shipped: config/policies
    (
        r##"rabbitmqctl -q list_policies -p /; echo "-- operator policies"; rabbitmqctl -q list_operator_policies -p /"##,
        Run,
    ),
    // shipped: config/vhost-limits
    (
        r##"rabbitmqctl -q list_vhost_limits --global; echo "-- user limits"; rabbitmqctl -q list_user_limits --global"##,
        Run,
    ),
    // shipped: network/listening-ports
    (
        r##"p=5672
pat=":($p|5671|15672|15671|15692|25672|4369)\$"
if command -v ss >/dev/null 2>&1; then ss -tlnp | awk -v pat="$pat" 'NR==1 || $4 ~ pat'
elif command -v netstat >/dev/null 2>&1; then netstat -tlnp | awk -v pat="$pat" 'NR<=2 || $4 ~ pat'
else echo "neither ss nor netstat installed; rely on the tcp checks of this step"; fi"##,
        Run,
    ),
    // shipped: network/port-connectivity
    (r##"rabbitmq-diagnostics -q check_port_connectivity"##, Run),
    // shipped: network/name-resolution
    (
        r##"echo "hostname=$(hostname) short=$(hostname -s)"; getent hosts localhost || echo "does not resolve:" localhost; getent hosts "$(hostname -s)" || echo "short host name does not resolve""##,
        Run,
    ),
    // shipped: network/list-connections
    (
        r##"rabbitmqctl -q list_connections user vhost state channels peer_host peer_port | head -n 200"##,
        Run,
    ),
    // shipped: network/connections-by-peer
    (
        r##"rabbitmqctl -q list_connections peer_host user --no-table-headers | sort | uniq -c | sort -rn | head -20"##,
        Run,
    ),
    // shipped: network/established-count
    (
        r##"p=5672
if command -v ss >/dev/null 2>&1; then echo "established: $(ss -Htn state established "( sport = :$p )" | wc -l)"; ss -s | head -5
else netstat -tn 2>/dev/null | grep -c ":$p .*ESTABLISHED" || echo "neither ss nor netstat installed"; fi"##,
        Run,
    ),
    // shipped: network/firewall
    (
        r##"if command -v nft >/dev/null 2>&1; then nft list ruleset | head -n 80
elif command -v iptables >/dev/null 2>&1; then iptables -S | head -n 80
else echo "no nft or iptables; check the cloud/security-group firewall"; fi"##,
        Run,
    ),
    // shipped: network/epmd-names
    (
        r##"if command -v epmd >/dev/null 2>&1; then epmd -names; else echo "epmd not in PATH; try /usr/lib/erlang/bin/epmd -names"; fi"##,
        Run,
    ),
    // shipped: network/ping-peer
    (
        r##"rabbitmq-diagnostics -q -n rabbit@localhost ping -t 10"##,
        Run,
    ),
    // shipped: network/cookie-hash
    (r##"rabbitmq-diagnostics -q erlang_cookie_hash"##, Run),
    // shipped: service/service-status
    (
        r##"if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl status rabbitmq-server --no-pager -n 20
else
  echo "systemd is not running here; process list:"
fi
ps -eo pid,user,etime,pcpu,rss,comm | awk 'NR==1 || /beam.smp|epmd/'"##,
        Run,
    ),
    // shipped: service/is-running
    (
        r##"rabbitmq-diagnostics -q check_running; echo "exit code $?""##,
        Run,
    ),
    // shipped: service/cluster-status
    (r##"rabbitmqctl -q cluster_status"##, Run),
    // shipped: service/is-booting
    (r##"rabbitmq-diagnostics -q is_booting"##, Run),
    // shipped: service/start
    (
        r##"if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl start rabbitmq-server
elif [ -x /etc/init.d/rabbitmq-server ] && command -v service >/dev/null 2>&1; then service rabbitmq-server start
else rabbitmq-server -detached; fi
i=0
while [ $i -lt 60 ]; do
  if rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then echo "broker is running"; exit 0; fi
  i=$((i+1)); sleep 1
done
echo "broker is NOT running after the wait; read step 2 startup-logs and log-errors"; exit 1"##,
        Ask,
    ),
    // shipped: service/start-app
    (r##"rabbitmqctl start_app"##, Ask),
    // shipped: temporary-fix/backup-definitions
    (
        r##"d=/var/backups/rabbitmq; ts=$(date +%Y%m%dT%H%M%S); umask 077
mkdir -p "$d" || exit 1
if rabbitmqctl -q export_definitions - > "$d/definitions-$ts.json" 2>"$d/.export-err"; then
  echo "definitions (CLI) -> $d/definitions-$ts.json"
else
  cat "$d/.export-err"; echo "CLI export failed; trying the management API"
  rabbitmqadmin -U http://localhost:15672 -u guest -p guest export "$d/definitions-$ts.json" || echo "API export failed too: note it and go on carefully"
fi
rm -f "$d/.export-err"
cp -a /etc/rabbitmq "$d/etc-rabbitmq-$ts" && echo "config -> $d/etc-rabbitmq-$ts"
ls -l "$d" | tail -n 5"##,
        Ask,
    ),
    // shipped: temporary-fix/restart
    (
        r##"if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl restart rabbitmq-server
elif [ -x /etc/init.d/rabbitmq-server ] && command -v service >/dev/null 2>&1; then service rabbitmq-server restart
else rabbitmqctl stop; rabbitmq-server -detached; fi
i=0
while [ $i -lt 60 ]; do
  if rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then echo "broker is running"; exit 0; fi
  i=$((i+1)); sleep 1
done
echo "broker is NOT running after the wait; read step 2 startup-logs and log-errors"; exit 1"##,
        Ask,
    ),
    // shipped: temporary-fix/restart-app
    (r##"rabbitmqctl stop_app && rabbitmqctl start_app"##, Ask),
    // shipped: temporary-fix/change-password
    (r##"rabbitmqctl change_password guest guest"##, Ask),
    // shipped: temporary-fix/add-user
    (r##"rabbitmqctl add_user guest guest"##, Ask),
    // shipped: temporary-fix/add-vhost
    (r##"rabbitmqctl add_vhost /"##, Ask),
    // shipped: temporary-fix/set-permissions
    (
        r##"rabbitmqctl set_permissions -p / guest '.*' '.*' '.*'"##,
        Ask,
    ),
    // shipped: temporary-fix/restart-vhost
    (r##"rabbitmqctl restart_vhost -p /"##, Ask),
    // shipped: temporary-fix/purge-queue
    (r##"rabbitmqctl purge_queue -p / my-queue"##, Ask),
    // shipped: temporary-fix/delete-queue
    (r##"rabbitmqctl delete_queue -p / my-queue"##, Ask),
    // shipped: temporary-fix/max-length-policy
    (
        r##"rabbitmqctl set_operator_policy -p / --priority 100 --apply-to queues emergency-max-length "^"my-queue"\$" '{"max-length":100000}'"##,
        Ask,
    ),
    // shipped: temporary-fix/raise-watermark
    (r##"rabbitmqctl set_vm_memory_high_watermark 0.6"##, Ask),
    // shipped: temporary-fix/remove-old-logs
    (
        r##"find /var/log/rabbitmq -type f -name '*.log.*' -mtime +2 -print -delete; df -h /var/log/rabbitmq /var/lib/rabbitmq/mnesia"##,
        Ask,
    ),
    // shipped: temporary-fix/reset-disk-limit
    (r##"rabbitmqctl set_disk_free_limit 1GB"##, Ask),
    // shipped: temporary-fix/close-user-connections
    (
        r##"rabbitmqctl close_all_user_connections guest 'closed by on-call during an incident'"##,
        Ask,
    ),
    // shipped: temporary-fix/close-vhost-connections
    (
        r##"rabbitmqctl close_all_connections -p / 'closed by on-call during an incident'"##,
        Ask,
    ),
    // shipped: temporary-fix/sync-mirrors
    (r##"rabbitmqctl sync_queue -p / my-queue"##, Ask),
    // shipped: root-cause/list-exchanges
    (
        r##"rabbitmqctl -q list_exchanges -p / name type durable auto_delete internal"##,
        Run,
    ),
    // shipped: root-cause/list-bindings
    (
        r##"rabbitmqctl -q list_bindings -p / source_name destination_name destination_kind routing_key | head -n 200"##,
        Run,
    ),
    // shipped: root-cause/queue-durability
    (
        r##"rabbitmqctl -q list_queues -p / name type durable auto_delete messages messages_persistent consumers policy | head -n 200"##,
        Run,
    ),
    // shipped: root-cause/consumers
    (
        r##"rabbitmqctl -q list_consumers -p / queue_name channel_pid consumer_tag ack_required prefetch_count active | head -n 200"##,
        Run,
    ),
    // shipped: root-cause/channels
    (
        r##"rabbitmqctl -q list_channels pid user vhost confirm consumer_count messages_unacknowledged messages_unconfirmed prefetch_count | head -n 200"##,
        Run,
    ),
    // shipped: root-cause/connection-clients
    (
        r##"rabbitmqctl -q list_connections user peer_host state channels client_properties | head -n 100"##,
        Run,
    ),
    // shipped: root-cause/cluster-partitions
    (
        r##"rabbitmq-diagnostics -q cluster_status --formatter json"##,
        Run,
    ),
    // shipped: root-cause/cluster-view-peer
    (
        r##"rabbitmqctl -q -n rabbit@localhost cluster_status"##,
        Run,
    ),
    // shipped: root-cause/quorum-status
    (r##"rabbitmq-queues -q quorum_status -p / my-queue"##, Run),
    // shipped: root-cause/queue-replicas
    (
        r##"rabbitmqctl -q list_queues -p / name type leader members online slave_pids synchronised_slave_pids | head -n 200"##,
        Run,
    ),
    // shipped: root-cause/feature-flags
    (r##"rabbitmqctl -q list_feature_flags"##, Run),
    // shipped: root-cause/log-timeline
    (
        r##"grep -h -E '\[(warning|error|critical)\]' /var/log/rabbitmq/*.log | sort | tail -n 200"##,
        Run,
    ),
    // shipped: permanent-fix/recommended-config
    (
        r##"cat <<'EOF'
# /etc/rabbitmq/rabbitmq.conf — production baseline (review before use)
vm_memory_high_watermark.relative = 0.4
vm_memory_high_watermark_paging_ratio = 0.5
disk_free_limit.absolute = 2GB
tcp_listen_options.backlog = 4096
tcp_listen_options.nodelay = true
log.file.level = info
log.file.rotation.date = $D0
log.file.rotation.count = 7
cluster_partition_handling = pause_minority
loopback_users.guest = true
EOF"##,
        Run,
    ),
    // shipped: permanent-fix/restore-watermark
    (r##"rabbitmqctl set_vm_memory_high_watermark 0.4"##, Ask),
    // shipped: permanent-fix/clear-emergency-policy
    (
        r##"rabbitmqctl clear_operator_policy -p / emergency-max-length"##,
        Ask,
    ),
    // shipped: permanent-fix/vhost-connection-limit
    (
        r##"rabbitmqctl set_vhost_limits -p / '{"max-connections":1000}'"##,
        Ask,
    ),
    // shipped: permanent-fix/grow-quorum
    (r##"rabbitmq-queues grow rabbit@localhost even"##, Ask),
    // shipped: permanent-fix/import-definitions
    (
        r##"f=$(ls -t /var/backups/rabbitmq/definitions-*.json 2>/dev/null | head -n 1)
[ -n "$f" ] || { echo "no definitions backup found"; exit 1; }
echo "importing $f"; rabbitmqctl import_definitions - < "$f""##,
        Ask,
    ),
    // shipped: permanent-fix/verify-health
    (
        r##"rabbitmq-diagnostics -q check_running && rabbitmq-diagnostics -q check_local_alarms && rabbitmq-diagnostics -q check_virtual_hosts"##,
        Run,
    ),
    // shipped: prevention/logrotate-config
    (
        r##"cat /etc/logrotate.d/rabbitmq-server 2>/dev/null || echo "no /etc/logrotate.d/rabbitmq-server; configure log.file.rotation.* or logrotate""##,
        Run,
    ),
    // shipped: prevention/install-backup-cron
    (
        r##"d=/var/backups/rabbitmq
{
  echo "# installed by runbook rabbitmq-emergency: daily RabbitMQ definitions and config backup"
  echo "30 2 * * * root mkdir -p '$d' && rabbitmqctl -q export_definitions - > '$d'/definitions-\$(date +\%Y\%m\%d).json && cp -a /etc/rabbitmq '$d'/etc-rabbitmq-\$(date +\%Y\%m\%d) && find '$d' -mindepth 1 -maxdepth 1 -mtime +14 -exec rm -rf {} +"
} > /etc/cron.d/rabbitmq-backup && chmod 644 /etc/cron.d/rabbitmq-backup && cat /etc/cron.d/rabbitmq-backup"##,
        Ask,
    ),
    // shipped: prevention/enable-prometheus
    (r##"rabbitmq-plugins enable rabbitmq_prometheus"##, Ask),
    // shipped: prevention/capacity-figures
    (
        r##"echo "cpu cores: $(nproc)"; free -m | head -2; df -h /var/lib/rabbitmq/mnesia | tail -1
rabbitmqctl -q list_queues -p / messages --no-table-headers | awk '{s+=$1} END {print "messages held in vhost: " s+0}'"##,
        Run,
    ),
];

fn verdict(line: &str) -> (Verdict, Option<String>) {
    let reason = destructive_reason(line);
    (if reason.is_some() { Ask } else { Run }, reason)
}

#[test]
fn every_spelling_in_the_table_gets_its_verdict() {
    assert!(TABLE.len() >= 150, "only {} rows", TABLE.len());
    let mut wrong = Vec::new();
    for (line, expected) in TABLE {
        let (got, reason) = verdict(line);
        if got != *expected {
            wrong.push(format!(
                "  expected {expected:?}, got {got:?} ({}): {line:?}",
                reason.unwrap_or_else(|| "no reason".into())
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} rows have the wrong verdict:\n{}",
        wrong.len(),
        TABLE.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_reason_is_one_short_line() {
    let mut bad = Vec::new();
    for (line, _) in TABLE {
        if let (Ask, Some(reason)) = verdict(line)
            && (reason.trim().is_empty() || reason.len() > 200 || reason.contains('\n'))
        {
            bad.push(format!("  {line:?} → {reason:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "reasons that do not fit the dialog:\n{}",
        bad.join("\n")
    );
}

#[test]
fn reasons_name_what_was_found() {
    for (line, needle) in [
        ("rabbitmqctl RESET", "rabbitmqctl reset"),
        ("if true; then rabbitmqctl stop_app; fi", "stop_app"),
        ("curl -XDELETE http://x/", "DELETE"),
        ("curl --json '{}' http://x/", "--json"),
        ("wget --method=DELETE http://x/", "DELETE"),
        ("find /tmp -delete", "-delete"),
        ("find /tmp -exec rm {} +", "`rm`"),
        ("CTL=rabbitmqctl; $CTL stop_app", "$CTL"),
        ("echo stop_app | sh", "pipe"),
        (
            "echo x > /etc/rabbitmq/rabbitmq.conf",
            "/etc/rabbitmq/rabbitmq.conf",
        ),
        ("python3 -c 'print(1)'", "inline Python"),
        ("kubectl delete pod x", "kubectl delete"),
        ("docker rm -f x", "docker rm"),
        ("echo 'x", "parser"),
    ] {
        let reason = destructive_reason(line).unwrap_or_default();
        assert!(
            reason.contains(needle),
            "the reason for {line:?} should mention {needle:?}: {reason:?}"
        );
    }
}

/// The embedded runbooks as they run with their defaults: a command without
/// `confirm: true` must stay runnable (it is read-only), and the net must
/// catch every command the runbook marks as changing.
#[test]
fn the_net_agrees_with_every_shipped_command() {
    let mut wrong = Vec::new();
    let mut seen = 0;
    for (name, _) in embedded::all() {
        let loaded = match embedded::load(name) {
            Some(Ok(l)) => l,
            other => panic!("{name} does not load: {:?}", other.map(|r| r.err())),
        };
        let rb = loaded.runbook;
        let vars = resolve_vars(&rb, &[], &|_| None).expect("defaults resolve");
        for step in &rb.steps {
            for c in &step.commands {
                seen += 1;
                let line = vars.render_shell(&c.run);
                let (got, reason) = verdict(&line);
                let expected = if c.confirm { Ask } else { Run };
                if got != expected {
                    wrong.push(format!(
                        "  {name} {}/{}: confirm={} but the net says {got:?} ({})",
                        step.id,
                        c.id,
                        c.confirm,
                        reason.unwrap_or_else(|| "no reason".into())
                    ));
                }
            }
        }
    }
    assert!(seen > 100, "only {seen} shipped commands");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Input built to hang or overflow a parser gets an answer, and it is "ask":
/// judged on a thread with a 2 MiB stack (a tokio worker's), within a minute.
#[test]
fn hostile_shapes_ask_instead_of_hanging_or_overflowing() {
    let n = 2000;
    let lines = vec![
        format!("{}rm x{}", "( ".repeat(n), " )".repeat(n)),
        format!("{}rm x; {}", "{ ".repeat(n), "}; ".repeat(n)),
        format!("{}rm x{}", "$(echo ".repeat(n), ")".repeat(n)),
        format!("{}rm x; {}", "if true; then ".repeat(n), "fi; ".repeat(n)),
        format!("echo {}1{}", "$((".repeat(n), "))".repeat(n)),
        format!("echo {}x{}", "${a:-".repeat(n), "}".repeat(n)),
        format!("echo {}", "x".repeat(runbook::danger::MAX_LEN + 1)),
        "x << \"\" #".to_string(),
    ];
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            for line in lines {
                let v = destructive_reason(&line);
                tx.send((line.chars().take(30).collect::<String>(), v))
                    .unwrap();
            }
        })
        .unwrap();
    for _ in 0..8 {
        let (line, v) = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the net answers within a minute");
        assert!(v.is_some(), "{line}… should need confirmation");
    }
}

/// A Chinese incident's confirmation dialog says why in Chinese: every
/// reason the net gives for the table (and a few spellings it does not
/// hold) has its Chinese, nested reasons included, the command as written.
#[test]
fn every_reason_has_its_chinese() {
    use runbook::i18n::{Lang, tr_said};
    let more = [
        "julia -e 'run(`ls`)'",
        "awk -f prog.awk x",
        "awk 'BEGIN { system(\"rm x\") }'",
        "renice 5 -p 1",
        "ionice -c3 -p 1",
        "chrt -p 1 1",
        "wget http://x/f",
        "wget -e robots=off http://x/",
        "curl -K opts http://x/",
        "xargs rm < list",
        "find . -exec",
        "sh -c",
        "crontab -e",
        "hostnamectl set-hostname x",
        "date -s 10:00",
        "systemctl restart rabbitmq-server",
        "sudo rabbitmqctl stop_app",
        "ip link set eth0 down",
    ];
    let english = [
        " removes ",
        " writes ",
        " changes ",
        " runs ",
        "cannot be judged",
        "is not a known",
        " sends ",
        " stops ",
        "needs confirming",
    ];
    let mut bad = Vec::new();
    let lines = TABLE.iter().map(|(l, _)| *l).chain(more);
    let mut seen = 0;
    for line in lines {
        let Some(reason) = destructive_reason(line) else {
            continue;
        };
        seen += 1;
        let zh = tr_said(Lang::Zh, &reason);
        let cjk = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if !cjk || english.iter().any(|w| zh.contains(w)) {
            bad.push(format!("  {line:?} → {reason:?} → {zh:?}"));
        }
        assert_eq!(tr_said(Lang::En, &reason), reason, "English stays");
    }
    assert!(seen >= 150, "only {seen} reasons");
    assert!(
        bad.is_empty(),
        "{} reasons without their Chinese:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

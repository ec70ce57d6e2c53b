//! English → Chinese for the built-in checks (`src/probe`) and the engine's
//! words about a check's run: the summaries and the fixed words of the
//! evidence, journaled as the check words them in the incident's language,
//! and the broker panel's errors. Values (hosts, URLs, numbers, names, the
//! broker's and the system's own messages) are never translated. A text
//! already in another table (`could not start: {}`) is not repeated here.

/// The built-in checks' texts.
pub(super) const ZH_PROBE: &[(&str, &str)] = &[
    // Any check.
    ("… ({} more bytes)", "…（另有 {} 字节）"),
    (
        "command checks are run by the caller, not by the probe module",
        "command 检查由调用方运行，不由探测模块运行",
    ),
    (
        "{} check timed out after {} — no answer in time",
        "{} 检查在 {} 后超时——未及时得到答复",
    ),
    (
        "the check failed unexpectedly (a bug in runbook)",
        "检查意外失败（runbook 的缺陷）",
    ),
    ("no result within {}", "{} 内没有结果"),
    ("cancelled before it finished", "完成前已取消"),
    // command.
    ("command timed out after {}", "命令在 {} 后超时"),
    ("command ended without a result", "命令结束但没有结果"),
    (
        "the command did not exit normally (killed or timed out), so the check could not be evaluated",
        "命令没有正常退出（被终止或超时），无法评估此检查",
    ),
    ("exited with {}, expected {}", "退出码 {}，预期 {}"),
    (
        "exited with {} but the output does not contain {}",
        "退出码 {}，但输出不包含 {}",
    ),
    (
        "exited with {}; output contains {}",
        "退出码 {}；输出包含 {}",
    ),
    ("exited with {} as expected", "退出码 {}，符合预期"),
    // tcp.
    ("{} is not host:port", "{} 不是 host:port 格式"),
    ("name resolution failed: {}", "域名解析失败：{}"),
    ("no answer for {} within {}", "{} 在 {} 内没有解析结果"),
    ("{} has no addresses", "{} 没有地址"),
    (
        "connection refused by {} — nothing listens on that port",
        "连接被 {} 拒绝——该端口无程序监听",
    ),
    (
        "connection timed out after {} — host down, port filtered by a firewall, or no route",
        "连接在 {} 后超时——主机宕机、端口被防火墙过滤或无路由",
    ),
    ("connection failed: {}", "连接失败：{}"),
    ("cannot check {}: {}", "无法检查 {}：{}"),
    ("{} accepts TCP connections", "{} 可建立 TCP 连接"),
    ("connected to {} in {} ms", "已连接到 {}，用时 {} ms"),
    // http.
    ("response larger than {}", "响应大于 {}"),
    ("reading the body failed: {}", "读取响应体失败：{}"),
    (
        "cannot set up the HTTP client: {}",
        "无法初始化 HTTP 客户端：{}",
    ),
    (
        "the request failed without a stated cause",
        "请求失败，未给出原因",
    ),
    (
        "connection refused — nothing listens there",
        "连接被拒绝——该地址无程序监听",
    ),
    ("no response within {}", "{} 内没有响应"),
    ("name resolution failed ({})", "域名解析失败（{}）"),
    ("body not received within {}", "{} 内没有收到响应体"),
    (
        "GET {} returned HTTP {}, expected {}",
        "GET {} 返回 HTTP {}，预期 {}",
    ),
    ("the body is not JSON ({})", "响应体不是 JSON（{}）"),
    ("{} is missing from the JSON body", "JSON 响应体中缺少 {}"),
    ("{} is {}, expected {}", "{} 为 {}，预期 {}"),
    ("the body does not contain {}", "响应体不包含 {}"),
    ("GET {} returned HTTP {}", "GET {} 返回 HTTP {}"),
    // amqp.
    (
        "{} is not a valid amqp:// URL: {}",
        "{} 不是有效的 amqp:// URL：{}",
    ),
    (
        "amqps (TLS) is not supported by this build; check the TLS port with tcp",
        "此版本不支持 amqps（TLS）；请用 tcp 检查 TLS 端口",
    ),
    ("scheme {} is not amqp://", "协议 {} 不是 amqp://"),
    ("url {}; user {}; vhost {}", "地址 {}；用户 {}；vhost {}"),
    (
        "closed cleanly (connection.close, close-ok)",
        "已正常关闭（connection.close、close-ok）",
    ),
    ("close reported an error (ignored)", "关闭时报错（已忽略）"),
    (
        "close did not finish within 1s (ignored)",
        "关闭未在 1s 内完成（已忽略）",
    ),
    (
        "AMQP login as {} to vhost {} works",
        "以 {} 登录 AMQP 并打开 vhost {} 成功",
    ),
    ("connected in {} ms; {}", "连接用时 {} ms；{}"),
    ("client error: {}", "客户端错误：{}"),
    (
        "the AMQP handshake did not finish within {} — broker overloaded or blocked?",
        "AMQP 握手未在 {} 内完成——broker 过载或被阻塞？",
    ),
    (
        "{} accepted TCP but sent no AMQP greeting within {} — not an AMQP port (a non-AMQP service such as the management HTTP port?) or a stuck broker",
        "{} 接受了 TCP 连接，但 {} 内没有发送 AMQP 问候——不是 AMQP 端口（可能是管理 HTTP 端口等非 AMQP 服务），或 broker 卡住了",
    ),
    (
        "connection to {} failed during the handshake: {}",
        "握手期间到 {} 的连接失败：{}",
    ),
    (
        "{} closed the connection without an AMQP greeting — not an AMQP listener, or the broker is refusing connections",
        "{} 没有发送 AMQP 问候就关闭了连接——不是 AMQP 监听端口，或 broker 正在拒绝连接",
    ),
    ("first bytes: {}", "前几个字节：{}"),
    (
        "the server speaks another AMQP protocol version, not 0-9-1",
        "服务端使用其他版本的 AMQP 协议，不是 0-9-1",
    ),
    (
        "{} is an HTTP service, not an AMQP listener — wrong port?",
        "{} 是 HTTP 服务，不是 AMQP 监听端口——端口错了？",
    ),
    (
        "{} is a non-AMQP service, not an AMQP listener — wrong port?",
        "{} 是非 AMQP 服务，不是 AMQP 监听端口——端口错了？",
    ),
    (
        "connection refused — nothing listens on that port",
        "连接被拒绝——该端口无程序监听",
    ),
    (
        "connection lost during the handshake ({}) — a login refused by an older broker also looks like this",
        "握手期间连接断开（{}）——旧版 broker 拒绝登录时也是这样",
    ),
    (
        "the server speaks AMQP {}, not 0-9-1",
        "服务端使用 AMQP {}，不是 0-9-1",
    ),
    ("AMQP handshake failed: {}", "AMQP 握手失败：{}"),
    (
        "login refused for user {} (403 ACCESS_REFUSED: wrong password, unknown user, or guest from a non-loopback address) — {}",
        "用户 {} 登录被拒绝（403 ACCESS_REFUSED：密码错误、用户不存在，或 guest 从非本机地址登录）——{}",
    ),
    (
        "vhost {} does not exist (530 NOT_ALLOWED) — {}",
        "vhost {} 不存在（530 NOT_ALLOWED）——{}",
    ),
    (
        "connection limit of vhost {} reached (530 NOT_ALLOWED) — {}",
        "vhost {} 的连接数已达上限（530 NOT_ALLOWED）——{}",
    ),
    (
        "user {} has no permissions on vhost {} (530 NOT_ALLOWED: access refused) — {}",
        "用户 {} 在 vhost {} 上没有权限（530 NOT_ALLOWED：访问被拒绝）——{}",
    ),
    (
        "not allowed (530 NOT_ALLOWED) — {}",
        "不允许（530 NOT_ALLOWED）——{}",
    ),
    (
        "vhost {} is down on the broker (541 INTERNAL_ERROR; rabbitmqctl restart_vhost) — {}",
        "vhost {} 在 broker 上已停止（541 INTERNAL_ERROR；rabbitmqctl restart_vhost）——{}",
    ),
    (
        "the broker closed the connection (320 CONNECTION_FORCED) — {}",
        "broker 关闭了连接（320 CONNECTION_FORCED）——{}",
    ),
    (
        "the broker refused the connection ({}) — {}",
        "broker 拒绝了连接（{}）——{}",
    ),
    // The management API (checks and the broker panel).
    (
        "management API URL {} is not valid: {}",
        "管理 API 地址 {} 无效：{}",
    ),
    (
        "management API unreachable at {} — is the plugin enabled? ({})",
        "管理 API {} 不可达——插件是否已启用？（{}）",
    ),
    (
        "credentials rejected by the management API ({})",
        "管理 API 拒绝了凭据（{}）",
    ),
    (
        "management API at {} did not answer within {}",
        "管理 API {} 在 {} 内没有响应",
    ),
    (
        "unexpected response from the management API: {}",
        "管理 API 返回了意外的响应：{}",
    ),
    ("connection refused", "连接被拒绝"),
    (
        "GET {} returned HTTP {} with a non-JSON body: {}",
        "GET {} 返回 HTTP {}，响应体不是 JSON：{}",
    ),
    ("GET {} returned HTTP {}: {}", "GET {} 返回 HTTP {}：{}"),
    (
        "user {} lacks a management tag; rabbitmqctl set_user_tags {} monitoring — {}: {}",
        "用户 {} 没有管理标签；rabbitmqctl set_user_tags {} monitoring——{}: {}",
    ),
    (
        "user {} may only log in from localhost (loopback_users) — {}: {}",
        "用户 {} 只能从 localhost 登录（loopback_users）——{}: {}",
    ),
    (
        "wrong user or password for {} — {}: {}",
        "{} 的用户名或密码错误——{}: {}",
    ),
    ("HTTP 401 for user {}", "用户 {} 收到 HTTP 401"),
    ("user {} — {}: {}", "用户 {}——{}: {}"),
    // rabbitmq.
    (
        "the listener check needs `port:` (e.g. 5672)",
        "listener 检查需要 `port:`（例如 5672）",
    ),
    (
        "could not ask the management API: {}",
        "无法查询管理 API：{}",
    ),
    (
        "could not evaluate {}: the management API answered HTTP {}",
        "无法评估{}：管理 API 返回了 HTTP {}",
    ),
    ("the alarms health check", "告警健康检查"),
    ("the virtual-hosts health check", "vhost 健康检查"),
    ("the port-listener health check", "端口监听健康检查"),
    ("on this node", "本节点"),
    ("in the cluster", "集群中"),
    ("no resource alarms {}", "{}没有资源告警"),
    (
        "disk (free disk space below the limit)",
        "磁盘（可用磁盘空间低于下限）",
    ),
    (
        "memory (memory high watermark reached)",
        "内存（内存达到高水位线）",
    ),
    ("{} on {}", "{}，节点 {}"),
    (
        "resource alarm {}: {} — publishers are blocked",
        "{}有资源告警：{}——生产者被阻塞",
    ),
    ("all virtual hosts are running", "所有 vhost 都在运行"),
    (
        "virtual hosts down: {} (rabbitmqctl restart_vhost -p <vhost>)",
        "已停止的 vhost：{}（rabbitmqctl restart_vhost -p <vhost>）",
    ),
    (
        "the broker has a listener on port {}",
        "broker 在端口 {} 上有监听",
    ),
    (
        "no listener on port {}; the broker listens on {}",
        "端口 {} 上没有监听；broker 监听的端口为 {}",
    ),
    (
        "RabbitMQ {} (Erlang {}) on {}: {} connections, {} queues, {} messages",
        "RabbitMQ {}（Erlang {}），节点 {}：{} 个连接，{} 个队列，{} 条消息",
    ),
    (
        "cluster {}; management {}; channels {}; consumers {}; exchanges {}; messages ready {} unacked {}",
        "集群 {}；管理插件 {}；信道 {}；消费者 {}；交换机 {}；消息：就绪 {}，未确认 {}",
    ),
    // Nodes, queues, connections (checks and the broker panel).
    (
        "could not evaluate nodes: /api/nodes returned no node list",
        "无法评估节点：/api/nodes 没有返回节点列表",
    ),
    ("{} is not running", "{} 未运行"),
    ("{}: not running", "{}：未运行"),
    (
        "{} memory {} of limit {} — memory alarm",
        "{} 内存 {}，上限 {}——内存告警",
    ),
    ("{} memory at {}% of its limit", "{} 内存已达上限的 {}%"),
    (
        "{} disk free {} at or below limit {} — disk alarm",
        "{} 可用磁盘 {}，不高于下限 {}——磁盘告警",
    ),
    (
        "{} disk free {} is less than twice the limit {}",
        "{} 可用磁盘 {}，不到下限 {} 的两倍",
    ),
    ("file descriptors", "文件句柄"),
    ("sockets", "socket 连接"),
    ("Erlang processes", "Erlang 进程"),
    ("{} {} at {}% of the limit", "{} {}已达上限的 {}%"),
    ("{} is partitioned from {}", "{} 与 {} 之间发生网络分区"),
    (
        "{}: running; memory {} / limit {} ({}%); disk free {} / limit {}; {}",
        "{}：运行中；内存 {} / 上限 {}（{}%）；可用磁盘 {} / 下限 {}；{}",
    ),
    (
        "{} node(s) running within memory, disk and descriptor limits",
        "{} 个节点在运行，内存、磁盘和句柄均在限值内",
    ),
    (
        "{}/{}: {} messages ({} ready, {} unacked), {} consumers",
        "{}/{}：{} 条消息（就绪 {}，未确认 {}），{} 个消费者",
    ),
    (
        "could not evaluate queues: /api/queues did not return a list",
        "无法评估队列：/api/queues 没有返回列表",
    ),
    (
        "{} holds {} messages (limit {})",
        "{} 积压 {} 条消息（上限 {}）",
    ),
    (
        "{} holds {} messages (threshold {})",
        "{} 积压 {} 条消息（阈值 {}）",
    ),
    (
        "{} has {} messages and no consumer",
        "{} 有 {} 条消息，但没有消费者",
    ),
    (
        "{} has {} unacknowledged messages (stuck consumer?)",
        "{} 有 {} 条未确认消息（消费者卡住了？）",
    ),
    ("… and {} more queues", "… 另有 {} 个队列"),
    (
        "{} queues, none over {} messages",
        "{} 个队列，均未超过 {} 条消息",
    ),
    ("; and {} more", "；另有 {} 项"),
    (
        "could not evaluate connections: /api/connections did not return a list",
        "无法评估连接：/api/connections 没有返回列表",
    ),
    ("{} connections (threshold {})", "{} 个连接（阈值 {}）"),
    (
        "{} connection(s) blocked by flow control (resource alarm?): {}",
        "{} 个连接被流控阻塞（资源告警？）：{}",
    ),
    (
        "{} connections, above the critical level {}",
        "{} 个连接，超过严重阈值 {}",
    ),
    (
        "{} connections, above the threshold {}",
        "{} 个连接，超过阈值 {}",
    ),
    ("{} connections, none blocked", "{} 个连接，无阻塞"),
    // resources.
    ("cannot read system information: {}", "无法读取系统信息：{}"),
    ("cannot list disks: {}", "无法列出磁盘：{}"),
    ("no mounted disk holds {}", "没有已挂载的磁盘包含 {}"),
    ("no mounted disks found", "没有找到已挂载的磁盘"),
    (
        "reading host resources took longer than {}",
        "读取主机资源超过了 {}",
    ),
    ("reading host resources failed: {}", "读取主机资源失败：{}"),
    (
        "could not evaluate host resources: {}",
        "无法评估主机资源：{}",
    ),
    ("memory", "内存"),
    ("disk {}", "磁盘 {}"),
    ("{} {}% > critical {}%", "{} {}% > 严重阈值 {}%"),
    (
        "beam.smp pid {}: RSS {}, CPU {}%",
        "beam.smp pid {}：RSS {}，CPU {}%",
    ),
    ("beam.smp not running", "beam.smp 未运行"),
    (
        "CPU {}% of {} CPUs; load {} {} {}\nmemory {} / {} ({}%)\ndisk {}: {} / {} ({}%)\n{}",
        "CPU {}%，共 {} 个 CPU；负载 {} {} {}\n内存 {} / {}（{}%）\n磁盘 {}：{} / {}（{}%）\n{}",
    ),
    (
        "CPU {}%, memory {}%, disk {} {}% — within thresholds",
        "CPU {}%，内存 {}%，磁盘 {} {}%——均在阈值内",
    ),
];

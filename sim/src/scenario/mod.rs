//! Scenario files: the whole setup of a run as JSON, written by serde_json and read by
//! `json/`, both through serde's derive (a field left out keeps its default).
//!
//! Field names follow the real software's option names where one exists (`balance`, `inter`,
//! `rise`, `fall`, `retries`, `redispatch`, `maxconn`, …). Durations are milliseconds in the
//! file (fractions allowed) and whole microseconds inside the sim. `Scenario::validate` refuses
//! out-of-range input with an error that names the field.

mod presets;
mod timing;
mod validate;

pub use timing::{ms_to_us, Timing, TimingPreset, TimingSpec};

use crate::json::names;
pub use crate::topology::{LbPair, Preset, TopologySpec};
use serde::{Deserialize, Serialize};
use validate::check_range;

use crate::error::Problem;
pub use crate::error::ScenarioError;

fn err(field: &str, problem: Problem) -> ScenarioError {
    ScenarioError::new(field, problem)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    /// How long the CLI runs it when `--duration` is not given, in seconds.
    pub duration_s: f64,
    pub topology: TopologySpec,
    pub timing: TimingSpec,
    pub haproxy: HaproxySpec,
    pub nginx: NginxSpec,
    pub app: AppSpec,
    pub mysql: MysqlSpec,
    pub dns: DnsSpec,
    pub keepalived: KeepalivedSpec,
    pub monitoring: MonitoringSpec,
    pub traffic: TrafficSpec,
    /// Scripted faults, applied at their times.
    pub faults: Vec<ScheduledFault>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "three-server".into(),
            description: "The three-server design of www.foobar.com: lb-01 in front of web-01 \
                          (MySQL primary) and web-02 (MySQL replica)."
                .into(),
            seed: 1,
            duration_s: 60.0,
            topology: TopologySpec::default(),
            timing: TimingSpec::default(),
            haproxy: HaproxySpec::default(),
            nginx: NginxSpec::default(),
            app: AppSpec::default(),
            mysql: MysqlSpec::default(),
            dns: DnsSpec::default(),
            keepalived: KeepalivedSpec::default(),
            monitoring: MonitoringSpec::default(),
            traffic: TrafficSpec::default(),
            faults: Vec::new(),
        }
    }
}

// In the order HAProxy's manual lists them.
names! {
    pub enum Balance {
        Roundrobin = "roundrobin",
        StaticRr = "static-rr",
        Leastconn = "leastconn",
        First = "first",
        Source = "source",
        Random = "random",
    }
}

names! {
    pub enum HashType {
        MapBased = "map-based",
        Consistent = "consistent",
    }
}

names! {
    /// `check` alone (a TCP connect) or `option httpchk GET /health`.
    pub enum CheckKind {
        None = "none",
        Tcp = "tcp",
        Http = "http",
    }
}

names! {
    pub enum Observe {
        None = "none",
        Layer4 = "layer4",
        Layer7 = "layer7",
    }
}

names! {
    pub enum OnError {
        FastInter = "fast-inter",
        FailCheck = "fail-check",
        SuddenDeath = "sudden-death",
        MarkDown = "mark-down",
    }
}

names! {
    /// The state HAProxy's servers start in (`init-state`, HAProxy 3.1+).
    pub enum InitState {
        /// HAProxy's default: UP, but the health counter at `rise` ("UP 1/3"): the first failed
        /// check marks the server DOWN.
        Up = "up",
        /// UP with the counter full, as after a while of passing checks: DOWN after `fall`
        /// failed checks.
        FullyUp = "fully-up",
    }
}

/// One `server` line's own settings, by server name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSpec {
    pub name: String,
    pub weight: u32,
    pub backup: bool,
    pub maxconn: u32,
    pub maxqueue: u32,
}

impl Default for ServerSpec {
    fn default() -> Self {
        ServerSpec {
            name: String::new(),
            weight: 1,
            backup: false,
            maxconn: 0,
            maxqueue: 0,
        }
    }
}

/// The HAProxy backend (docs/model.md, "HAProxy"). Defaults are HAProxy's own, except the timeouts,
/// which HAProxy leaves infinite and every real config sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HaproxySpec {
    pub balance: Balance,
    pub hash_type: HashType,
    pub check: CheckKind,
    pub inter_ms: f64,
    pub fastinter_ms: Option<f64>,
    pub downinter_ms: Option<f64>,
    pub rise: u32,
    pub fall: u32,
    /// `timeout check`; without it a check's own timeout is `inter`.
    pub timeout_check_ms: Option<f64>,
    pub retries: u32,
    pub redispatch: bool,
    pub timeout_connect_ms: f64,
    pub timeout_server_ms: f64,
    pub timeout_client_ms: f64,
    /// `timeout queue`; defaults to `timeout connect`.
    pub timeout_queue_ms: Option<f64>,
    /// Default `maxconn` of every server (0 = unlimited).
    pub maxconn: u32,
    /// Default `maxqueue` of every server (0 = unlimited).
    pub maxqueue: u32,
    pub observe: Observe,
    pub error_limit: u32,
    pub on_error: OnError,
    /// `cookie SERVERID insert indirect nocache`: sticky sessions.
    pub cookie: bool,
    pub allbackups: bool,
    /// How the servers start: `up` (HAProxy's default, and what a file that omits it means)
    /// or `fully-up`, as a HAProxy that has been running a while (the presets).
    pub init_state: InitState,
    /// Per-server overrides (weight, backup, maxconn), by server name.
    pub servers: Vec<ServerSpec>,
}

impl Default for HaproxySpec {
    fn default() -> Self {
        HaproxySpec {
            balance: Balance::Roundrobin,
            hash_type: HashType::MapBased,
            check: CheckKind::Tcp,
            inter_ms: 2000.0,
            fastinter_ms: None,
            downinter_ms: None,
            rise: 2,
            fall: 3,
            timeout_check_ms: None,
            retries: 3,
            redispatch: false,
            timeout_connect_ms: 5000.0,
            timeout_server_ms: 30000.0,
            timeout_client_ms: 30000.0,
            timeout_queue_ms: None,
            maxconn: 0,
            maxqueue: 0,
            observe: Observe::None,
            error_limit: 10,
            on_error: OnError::FailCheck,
            cookie: false,
            allbackups: false,
            init_state: InitState::Up,
            servers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NginxSpec {
    pub proxy_read_timeout_ms: f64,
}

impl Default for NginxSpec {
    fn default() -> Self {
        NginxSpec {
            proxy_read_timeout_ms: 60000.0,
        }
    }
}

names! {
    /// Where the app sends its reads.
    pub enum ReadRouting {
        Primary = "primary",
        Replica = "replica",
        Local = "local",
    }
}

names! {
    /// Where the app sends its writes.
    pub enum WritesTo {
        /// The primary (as the failover manager says): right.
        Primary = "primary",
        /// The MySQL on the app's own host: wrong on a replica's host (ERROR 1290).
        Local = "local",
    }
}

names! {
    pub enum ReadYourWrites {
        Off = "off",
        /// After a write, that user's reads go to the primary for `ryw_window_ms`.
        PrimaryWindow = "primary-window",
        /// Reads wait on the replica until it has applied the user's last GTID.
        WaitGtid = "wait-gtid",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppSpec {
    /// Worker processes per app server; more requests wait in its backlog.
    pub workers: u32,
    pub writes_to: WritesTo,
    pub read_routing: ReadRouting,
    pub read_your_writes: ReadYourWrites,
    pub ryw_window_ms: f64,
    /// What the app's `GET /health` checks: the app alone, or the app and its database.
    pub health_checks_db: bool,
    /// How long the app waits on a database query before giving up with a 500 (ours).
    pub db_timeout_ms: f64,
    /// Whether a dynamic page queries the database (off: pure CPU, as in an M/M/c queue).
    pub queries_db: bool,
}

impl Default for AppSpec {
    fn default() -> Self {
        AppSpec {
            workers: 8,
            writes_to: WritesTo::Primary,
            read_routing: ReadRouting::Local,
            read_your_writes: ReadYourWrites::Off,
            ryw_window_ms: 5000.0,
            health_checks_db: false,
            db_timeout_ms: 10000.0,
            queries_db: true,
        }
    }
}

names! {
    pub enum ReplicationMode {
        Async = "async",
        SemiSync = "semi-sync",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MysqlSpec {
    pub replication: ReplicationMode,
    /// `rpl_semi_sync_source_timeout`.
    pub rpl_semi_sync_source_timeout_ms: f64,
    /// `replica_parallel_workers`.
    pub replica_parallel_workers: u32,
    /// Transactions per second one applier worker executes (a teaching number).
    pub apply_rate: f64,
    /// How long after a commit the source's dump thread sends the event (a teaching number
    /// for a busy source or a slow stream): a crash inside it loses the transaction.
    pub replication_delay_ms: f64,
    /// Orchestrator-like automatic failover of the primary.
    pub auto_failover: bool,
    /// `RecoveryPeriodBlockSeconds`.
    pub recovery_period_block_s: f64,
    /// A promoted-away primary comes back `read_only` (rejoins) rather than writable.
    pub old_primary_rejoins_read_only: bool,
    /// `SOURCE_CONNECT_RETRY`: seconds between a replica's reconnection attempts.
    pub source_connect_retry_s: f64,
    /// `replica_net_timeout`: seconds a replica waits on a silent source before it drops the
    /// connection (a crashed source resets it at once).
    pub replica_net_timeout_s: f64,
}

impl Default for MysqlSpec {
    fn default() -> Self {
        MysqlSpec {
            replication: ReplicationMode::Async,
            rpl_semi_sync_source_timeout_ms: 10000.0,
            replica_parallel_workers: 4,
            apply_rate: 2000.0,
            replication_delay_ms: 0.0,
            auto_failover: false,
            recovery_period_block_s: 3600.0,
            old_primary_rejoins_read_only: true,
            source_connect_retry_s: 60.0,
            replica_net_timeout_s: 60.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DnsSpec {
    /// TTL of `www.foobar.com A`, seconds.
    pub ttl_s: u32,
}

impl Default for DnsSpec {
    fn default() -> Self {
        DnsSpec { ttl_s: 300 }
    }
}

/// keepalived/VRRP for an active-passive LB pair (docs/model.md, "keepalived / VRRP").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeepalivedSpec {
    /// `advert_int`, seconds.
    pub advert_int_s: f64,
    /// lb-01's `priority` (the master's).
    pub priority_master: u32,
    /// lb-02's `priority` (the backup's, lower).
    pub priority_backup: u32,
    /// `nopreempt`: a returning higher-priority node does not take the VIP back.
    pub nopreempt: bool,
}

impl Default for KeepalivedSpec {
    fn default() -> Self {
        KeepalivedSpec {
            advert_int_s: 1.0,
            priority_master: 100,
            priority_backup: 90,
            nopreempt: false,
        }
    }
}

/// An alert rule of the monitoring server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    HostDown,
    ErrorRate,
    ReplicationLag,
    QueueLength,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::HostDown => "host down",
            Rule::ErrorRate => "5xx rate",
            Rule::ReplicationLag => "replication lag",
            Rule::QueueLength => "queue length",
        }
    }
}

/// The monitoring agents and their alert rules. The thresholds are ours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitoringSpec {
    /// How often each agent reports, seconds.
    pub interval_s: f64,
    /// `host down` fires after this many missed reports.
    pub missed_reports: u32,
    /// `5xx rate` fires above this share of requests in a report.
    pub error_rate: f64,
    /// `replication lag` fires above this many seconds (Seconds_Behind_Source, or NULL).
    pub lag_s: f64,
    /// `queue length` fires above this many waiting requests.
    pub queue: u32,
}

impl Default for MonitoringSpec {
    fn default() -> Self {
        MonitoringSpec {
            interval_s: 10.0,
            missed_reports: 2,
            error_rate: 0.05,
            lag_s: 10.0,
            queue: 10,
        }
    }
}

/// The share of each kind of request. They need not sum to 1: they are weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mix {
    #[serde(rename = "static")]
    pub static_files: f64,
    pub read: f64,
    pub write: f64,
}

impl Default for Mix {
    fn default() -> Self {
        Mix {
            static_files: 0.5,
            read: 0.4,
            write: 0.1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrafficSpec {
    /// Poisson arrivals per second, 0 (none) or 0.1 to 5000.
    pub rate: f64,
    pub mix: Mix,
    /// Distinct browsers, each with its own source IP, cookie jar and DNS cache.
    pub clients: u32,
    /// A flash crowd: at `at_s` the rate is multiplied by `factor` for `duration_s`.
    pub bursts: Vec<Burst>,
    /// How long a browser waits for an answer before it gives up (ours).
    pub client_timeout_ms: f64,
}

impl Default for TrafficSpec {
    fn default() -> Self {
        TrafficSpec {
            rate: 10.0,
            mix: Mix::default(),
            clients: 200,
            bursts: Vec::new(),
            client_timeout_ms: 30000.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burst {
    pub at_s: f64,
    pub factor: f64,
    pub duration_s: f64,
}

/// What can go wrong with a component or a link.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum FaultKind {
    /// Stops at once; its host's kernel refuses new connections (RST).
    Crash,
    /// Powered off or cut off: packets are dropped silently, peers time out.
    Partition,
    /// Finishes what it has, takes nothing new (HAProxy `DRAIN` / a graceful stop).
    Drain,
    /// Every service time (or a link's latency) multiplied by `factor`.
    Slow { factor: f64 },
    /// A link drops this share of packets; each loss costs a retransmission.
    Loss { rate: f64 },
    /// Back to normal.
    Restore,
}

impl FaultKind {
    /// Its own value is in range: a slow-down multiplies by 1 to 1000, a loss
    /// rate is from 0 to 0.99. `at` names where the fault stands (`faults[2].fault`), if
    /// anywhere.
    pub fn check(self, at: &str) -> Result<(), ScenarioError> {
        let field = |name: &str| match at {
            "" => name.to_string(),
            _ => format!("{at}.{name}"),
        };
        match self {
            FaultKind::Slow { factor } => check_range(&field("factor"), factor, 1.0, 1000.0),
            FaultKind::Loss { rate } => check_range(&field("rate"), rate, 0.0, 0.99),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledFault {
    pub at_s: f64,
    /// A node (`web-01`, `web-01/app`) or a link (`lb-01--web-01`).
    pub target: String,
    pub fault: FaultKind,
}

/// The longest a run may be, in seconds: a week of simulated time.
pub const MAX_DURATION_S: f64 = 7.0 * 24.0 * 3600.0;
pub const MAX_RATE: f64 = 5000.0;
pub const MIN_RATE: f64 = 0.1;
pub const MAX_WEB_HOSTS: u32 = 8;

impl Scenario {
    /// Parses and validates a scenario file. Never panics.
    #[inline]
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_json_bytes(text.as_bytes())
    }

    /// The same from bytes (one reader for files, fetches and share links: in WebAssembly
    /// every reader costs its own copy of serde's code).
    #[inline]
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Scenario, ScenarioError> {
        let value = crate::json::parse(bytes)
            .map_err(|e| ScenarioError::new("", Problem::NotAScenario(e)))?;
        let s: Scenario =
            crate::json::from_value(&value).map_err(|e| ScenarioError::new(e.path, e.problem))?;
        s.validate()?;
        Ok(s)
    }

    #[inline]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Names of the web hosts this topology has: `web-01` …
    pub fn web_host_names(&self) -> impl Iterator<Item = String> {
        (1..=self.topology.web_hosts).map(|i| format!("web-{i:02}"))
    }
}

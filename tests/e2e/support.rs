//! What every end-to-end walk needs: a file server for `dist/`, chromedriver with its
//! Chromium, and bounded polls, clicks, key presses and screenshots of the page.
#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// How long the page may take to draw the diagram.
pub const PAGE_DEADLINE: Duration = Duration::from_secs(30);
/// How long chromedriver may take to accept a session.
pub const DRIVER_DEADLINE: Duration = Duration::from_secs(20);

/// Every node of the default three-server scenario that the page must show.
pub const NODES: &[&str] = &[
    "users",
    "dns",
    "lb-01",
    "lb-01/haproxy",
    "web-01",
    "web-01/nginx",
    "web-01/app",
    "web-01/mysql",
    "web-02",
    "web-02/nginx",
    "web-02/app",
    "web-02/mysql",
];

pub fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the page first with `trunk build --release` \
         (`./dev test` does it before this test)",
        dist.display()
    );
    dist
}

pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A static file server for `dist/`, stopped when dropped.
pub struct StaticServer {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl StaticServer {
    pub async fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_one(stream, root.clone()));
            }
        });
        StaticServer { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// One HTTP/1.1 request, answered and closed.
pub async fn serve_one(mut stream: TcpStream, root: PathBuf) {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = if path == "/" {
        Some(root.join("index.html"))
    } else if path.split('/').any(|part| part == "..") {
        None
    } else {
        Some(root.join(path.trim_start_matches('/')))
    };
    let response = match file {
        Some(file) => match tokio::fs::read(&file).await {
            Ok(body) => {
                let mut r = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
                     Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                    content_type(&file),
                    body.len()
                )
                .into_bytes();
                r.extend_from_slice(&body);
                r
            }
            Err(_) => not_found(),
        },
        None => not_found(),
    };
    let _ = stream.write_all(&response).await;
    let _ = stream.shutdown().await;
}

pub fn not_found() -> Vec<u8> {
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
}

/// chromedriver and the Chromium it starts, killed (the whole process group) when dropped,
/// with the browser's throwaway profile removed.
pub struct ChromeDriver {
    child: Child,
    port: u16,
    profile: PathBuf,
    /// The browser's language (`fr-FR`), as a person's browser set to it sends it.
    lang: Option<String>,
}

impl ChromeDriver {
    pub fn start() -> ChromeDriver {
        ChromeDriver::launch(None)
    }

    /// The same, with the browser set to a language (`fr-FR`): `navigator.languages` and
    /// Accept-Language say it.
    pub fn start_in(lang: &str) -> ChromeDriver {
        ChromeDriver::launch(Some(lang.to_string()))
    }

    fn launch(lang: Option<String>) -> ChromeDriver {
        use std::os::unix::process::CommandExt;
        assert!(
            Path::new(CHROMEDRIVER).exists(),
            "{CHROMEDRIVER} is missing: `./dev test` installs chromium-driver"
        );
        let port = free_port();
        let profile =
            std::env::temp_dir().join(format!("foobar-lab-e2e-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).expect("a profile directory");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so the browser it starts goes with it.
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        ChromeDriver {
            child,
            port,
            profile,
            lang,
        }
    }

    fn capabilities(&self) -> serde_json::Map<String, Value> {
        let mut caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1280,800",
                    format!("--user-data-dir={}", self.profile.display()),
                ]
            },
            // The console's messages, read by `console_messages`.
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        if let Some(lang) = &self.lang {
            let primary = lang.split('-').next().unwrap_or(lang);
            let options = &mut caps["goog:chromeOptions"];
            if let Some(args) = options["args"].as_array_mut() {
                args.push(format!("--lang={lang}").into());
            }
            options["prefs"] = json!({ "intl.accept_languages": format!("{lang},{primary}") });
        }
        match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    /// A WebDriver session, retried until chromedriver listens.
    pub async fn connect(&self) -> Client {
        let url = format!("http://127.0.0.1:{}", self.port);
        let deadline = Instant::now() + DRIVER_DEADLINE;
        loop {
            let attempt = ClientBuilder::new(HttpConnector::new())
                .capabilities(self.capabilities())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => return client,
                Err(e) if Instant::now() > deadline => {
                    panic!("no WebDriver session from chromedriver within {DRIVER_DEADLINE:?}: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The group chromedriver leads (see `process_group(0)`): it and every browser process.
        if let Ok(pgid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) takes plain integers and touches no memory of ours.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The page's nodes as (data-node, data-state) pairs, read in one round trip.
pub async fn drawn_nodes(client: &Client) -> Result<Vec<(String, String)>, String> {
    let script = "return Array.from(document.querySelectorAll('[data-node]'))\
                  .map(e => [e.getAttribute('data-node'), e.getAttribute('data-state')]);";
    let value = client
        .execute(script, vec![])
        .await
        .map_err(|e| e.to_string())?;
    let pairs = value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let name = p.get(0)?.as_str()?.to_string();
                    let state = p.get(1)?.as_str().unwrap_or("").to_string();
                    Some((name, state))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(pairs)
}

/// Waits, up to the deadline, for every expected node to be drawn up.
pub async fn wait_for_diagram(client: &Client) -> Result<Vec<(String, String)>, String> {
    let deadline = Instant::now() + PAGE_DEADLINE;
    loop {
        let seen = drawn_nodes(client).await?;
        let missing: Vec<&str> = NODES
            .iter()
            .copied()
            .filter(|n| !seen.iter().any(|(name, state)| name == n && state == "up"))
            .collect();
        if missing.is_empty() {
            return Ok(seen);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "after {PAGE_DEADLINE:?} these nodes are not drawn up: {missing:?}; the page has {seen:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A plain GET on the test's own server: the status line and headers.
pub async fn http_head(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr)
        .await
        .expect("connect to the file server");
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out);
    text.split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string()
}

pub type Outcome<T = ()> = Result<T, String>;

pub fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Runs a script and returns its value.
pub async fn js(client: &Client, script: &str) -> Outcome<Value> {
    client.execute(script, vec![]).await.map_err(err)
}

/// An attribute of the first element matching a CSS selector (`None` if either is missing).
pub async fn attr(client: &Client, selector: &str, name: &str) -> Outcome<Option<String>> {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.getAttribute({}) : null;",
        json!(selector),
        json!(name)
    );
    Ok(js(client, &script).await?.as_str().map(str::to_string))
}

pub async fn node_attr(client: &Client, node: &str, name: &str) -> Outcome<Option<String>> {
    attr(client, &format!("[data-node=\"{node}\"]"), name).await
}

pub async fn served(client: &Client, node: &str) -> Outcome<u64> {
    Ok(node_attr(client, node, "data-served")
        .await?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0))
}

/// What the diagram shows of every node (name, own state, HAProxy's view, served) and the
/// clock, read in one round trip: two pages showing the same moment of the same run agree.
pub async fn picture(client: &Client) -> Outcome<Value> {
    js(
        client,
        "return {clock: document.querySelector('.clock')?.getAttribute('data-now-us'), \
         nodes: Array.from(document.querySelectorAll('[data-node]')).map(e => \
           [e.getAttribute('data-node'), e.getAttribute('data-state'), \
            e.getAttribute('data-check'), e.getAttribute('data-served')])};",
    )
    .await
}

/// Waits until every node of the three-server design is drawn, in whatever state.
pub async fn wait_for_nodes(client: &Client) -> Outcome {
    wait_for("the diagram", PAGE_DEADLINE, || async {
        let seen = drawn_nodes(client).await?;
        Ok(NODES
            .iter()
            .all(|n| seen.iter().any(|(name, _)| name == n))
            .then_some(()))
    })
    .await
}

/// Polls `probe` every 50 ms until it gives `Some`, or fails after `deadline`.
pub async fn wait_for<T, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> Outcome<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Outcome<Option<T>>>,
{
    let end = Instant::now() + deadline;
    loop {
        if let Some(v) = probe().await? {
            return Ok(v);
        }
        if Instant::now() > end {
            return Err(format!("waited {deadline:?} for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until a node's attribute has a value.
pub async fn wait_node_attr(
    client: &Client,
    node: &str,
    name: &str,
    want: &str,
    deadline: Duration,
) -> Outcome<Duration> {
    let start = Instant::now();
    wait_for(&format!("{node} {name}={want:?}"), deadline, || async {
        let v = node_attr(client, node, name).await?;
        Ok((v.as_deref() == Some(want)).then(|| start.elapsed()))
    })
    .await
}

/// Every value web-01's `data-check` takes, with when it was first seen, until it is `until`.
pub async fn watch_check(
    client: &Client,
    until: &str,
    deadline: Duration,
) -> Outcome<Vec<(String, Instant)>> {
    let end = Instant::now() + deadline;
    let mut seen: Vec<(String, Instant)> = Vec::new();
    loop {
        let check = node_attr(client, "web-01", "data-check")
            .await?
            .unwrap_or_default();
        if seen.last().map(|(c, _)| c) != Some(&check) {
            seen.push((check.clone(), Instant::now()));
        }
        if check == until {
            return Ok(seen);
        }
        if Instant::now() > end {
            let went: Vec<&str> = seen.iter().map(|(c, _)| c.as_str()).collect();
            return Err(format!(
                "waited {deadline:?} for web-01 to be {until} for HAProxy; it went {went:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Simulated seconds from the log's `m:ss.d`.
pub fn clock_secs(text: &str) -> Option<f64> {
    let (m, s) = text.trim().split_once(':')?;
    Some(m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?)
}

/// The event log as (simulated seconds, line), newest first.
pub async fn log_rows(client: &Client) -> Outcome<Vec<(f64, String)>> {
    let v = js(
        client,
        "return Array.from(document.querySelectorAll('.log tbody tr'))\
         .map(r => [r.cells[0].textContent, r.cells[1].textContent]);",
    )
    .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| {
                    let t = clock_secs(r.get(0)?.as_str()?)?;
                    Some((t, r.get(1)?.as_str()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// The event log's lines, newest first.
pub async fn log_lines(client: &Client) -> Outcome<Vec<String>> {
    let v = js(
        client,
        "return Array.from(document.querySelectorAll('.log .log-text')).map(e => e.textContent);",
    )
    .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

pub async fn click(client: &Client, selector: &str) -> Outcome {
    client
        .find(Locator::Css(selector))
        .await
        .map_err(|e| format!("find {selector}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("click {selector}: {e}"))
}

pub async fn press(client: &Client, keys: &[char]) -> Outcome {
    let mut seq = KeyActions::new("keyboard".to_string());
    for &k in keys {
        seq = seq.then(KeyAction::Down { value: k });
    }
    for &k in keys.iter().rev() {
        seq = seq.then(KeyAction::Up { value: k });
    }
    client.perform_actions(seq).await.map_err(err)
}

/// Makes the page's viewport (not the window around it) `width` × `height`.
pub async fn set_viewport(client: &Client, width: u32, height: u32) -> Outcome {
    client.set_window_size(width, height).await.map_err(err)?;
    let inner = js(client, "return [window.innerWidth, window.innerHeight];").await?;
    let dim = |i: usize| inner.get(i).and_then(Value::as_u64).unwrap_or(0) as u32;
    let (iw, ih) = (dim(0), dim(1));
    if (iw, ih) != (width, height) && iw > 0 && ih > 0 {
        client
            .set_window_size(
                width + width.saturating_sub(iw),
                height + height.saturating_sub(ih),
            )
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// Saves a screenshot of the page at this viewport size as `target/e2e/<name>.png`.
pub async fn screenshot(client: &Client, width: u32, height: u32, name: &str) -> Outcome {
    set_viewport(client, width, height).await?;
    // Let the page lay itself out at the new size and draw a few frames.
    let frames = "const done = arguments[arguments.length - 1]; \
                  requestAnimationFrame(() => requestAnimationFrame(() => done(0)));";
    client.execute_async(frames, vec![]).await.map_err(err)?;
    let png = client.screenshot().await.map_err(err)?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).map_err(err)?;
    std::fs::write(dir.join(format!("{name}.png")), png).map_err(err)
}

/// Runs `body` on a fresh Chromium against `server`, then ends the browser cleanly whatever
/// happened (the driver's and server's guards are the backstop); a failure panics with its
/// message.
pub async fn in_chromium<T>(
    server: StaticServer,
    body: impl AsyncFnOnce(&Client, &StaticServer) -> Outcome<T>,
) -> T {
    in_chromium_with(ChromeDriver::start(), server, body).await
}

/// The same in a browser set to a language (`fr-FR`).
pub async fn in_chromium_in<T>(
    lang: &str,
    server: StaticServer,
    body: impl AsyncFnOnce(&Client, &StaticServer) -> Outcome<T>,
) -> T {
    in_chromium_with(ChromeDriver::start_in(lang), server, body).await
}

async fn in_chromium_with<T>(
    driver: ChromeDriver,
    server: StaticServer,
    body: impl AsyncFnOnce(&Client, &StaticServer) -> Outcome<T>,
) -> T {
    let client = driver.connect().await;
    let outcome = body(&client, &server).await;
    let _ = client.close().await;
    drop(driver);
    drop(server);
    outcome.unwrap_or_else(|e| panic!("{e}"))
}

/// chromedriver's log endpoint: the browser console's messages since it was last read.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// The console's messages (level, text) since they were last read: every error and warning
/// the page or the browser wrote about it (an intervention on a passive listener among them).
pub async fn console_messages(client: &Client) -> Outcome<Vec<(String, String)>> {
    let v = client.issue_cmd(BrowserLog).await.map_err(err)?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let field =
                        |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    (field("level"), field("message"))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Fails if the console holds an error or a warning since it was last read: each is a defect.
pub async fn console_clean(client: &Client, during: &str) -> Outcome {
    let bad: Vec<String> = console_messages(client)
        .await?
        .into_iter()
        .filter(|(level, _)| level == "SEVERE" || level == "WARNING")
        .map(|(level, text)| format!("{level}: {text}"))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!("the console, {during}: {bad:#?}"))
    }
}

/// A Chrome DevTools Protocol command through chromedriver (`{"cmd": ..., "params": ...}`).
#[derive(Debug)]
struct Cdp(String);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.clone()))
    }
}

/// Runs a DevTools command with no parameters; its result.
pub async fn cdp(client: &Client, command: &str) -> Outcome<Value> {
    client
        .issue_cmd(Cdp(format!(r#"{{"cmd":"{command}","params":{{}}}}"#)))
        .await
        .map_err(err)
}

/// Opens a share link (`v2.…`) as a visitor would, and waits for the diagram.
pub async fn open_link(client: &Client, server: &StaticServer, link: &str) -> Outcome {
    client
        .goto(&server.url(&format!("/#{link}")))
        .await
        .map_err(err)?;
    // A hash change alone does not reload the page.
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await.map(|_| ())
}

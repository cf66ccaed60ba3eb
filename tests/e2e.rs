//! End to end (SPEC W1, U1): the release build in `dist/`, served on loopback, opened in
//! headless Chromium through chromedriver. Run natively: `cargo test -p foobar-lab --test e2e`
//! after `trunk build --release` (`./dev test` does both, in that order).
//!
//! The test starts its own file server and chromedriver on free loopback ports, and stops both
//! when it ends, passing or failing. Every wait has a deadline.
#![cfg(not(target_arch = "wasm32"))]

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long the page may take to draw the diagram.
const PAGE_DEADLINE: Duration = Duration::from_secs(30);
/// How long chromedriver may take to accept a session.
const DRIVER_DEADLINE: Duration = Duration::from_secs(20);

/// Every node of the default three-server scenario that the page must show (SPEC W1).
const NODES: &[&str] = &[
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

fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the page first with `trunk build --release` \
         (`./dev test` does it before this test)",
        dist.display()
    );
    dist
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A static file server for `dist/`, stopped when dropped.
struct StaticServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl StaticServer {
    async fn start(root: PathBuf) -> StaticServer {
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

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn content_type(path: &Path) -> &'static str {
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
async fn serve_one(mut stream: TcpStream, root: PathBuf) {
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

fn not_found() -> Vec<u8> {
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
}

/// chromedriver and the Chromium it starts, killed (the whole process group) when dropped,
/// with the browser's throwaway profile removed.
struct ChromeDriver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl ChromeDriver {
    fn start() -> ChromeDriver {
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
        }
    }

    fn capabilities(&self) -> serde_json::Map<String, Value> {
        let caps = json!({
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
            }
        });
        match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    /// A WebDriver session, retried until chromedriver listens.
    async fn connect(&self) -> Client {
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

/// A plain GET on the test's own server: the status line and headers.
async fn http_head(addr: SocketAddr, path: &str) -> String {
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

/// The page's nodes as (data-node, data-state) pairs, read in one round trip.
async fn drawn_nodes(client: &Client) -> Result<Vec<(String, String)>, String> {
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
async fn wait_for_diagram(client: &Client) -> Result<Vec<(String, String)>, String> {
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

async fn check_page(client: &Client, server: &StaticServer) -> Result<(), String> {
    client
        .goto(&server.url("/"))
        .await
        .map_err(|e| format!("open the page: {e}"))?;
    let seen = wait_for_diagram(client).await?;
    let title = client.title().await.map_err(|e| e.to_string())?;
    if !title.contains("Foobar Lab") {
        return Err(format!("page title is {title:?}"));
    }
    let h1 = client
        .execute(
            "return document.querySelector('h1')?.textContent ?? ''",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    if h1.as_str() != Some("Foobar Lab — www.foobar.com") {
        return Err(format!("header is {h1}"));
    }
    if let Some((name, state)) = seen.iter().find(|(_, state)| state != "up") {
        return Err(format!("{name} is drawn {state:?}, not up"));
    }
    Ok(())
}

/// SPEC W1, U1: the built page draws every node of the three-server design, each up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn w1_built_page_draws_every_node_up_in_chromium() {
    let dist = dist_dir();
    let server = StaticServer::start(dist.clone()).await;

    // The browser only streams-compiles wasm served as application/wasm.
    let wasm = std::fs::read_dir(&dist)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".wasm"))
        .expect("dist/ holds a .wasm file");
    let head = http_head(server.addr, &format!("/{wasm}")).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: application/wasm"), "{head}");

    let driver = ChromeDriver::start();
    let client = driver.connect().await;
    let outcome = check_page(&client, &server).await;
    // Ends the browser cleanly whatever happened; the guards above are the backstop.
    let _ = client.close().await;
    drop(driver);
    drop(server);
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

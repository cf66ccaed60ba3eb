//! End to end: the release build in `dist/`, served on loopback, opened in headless Chromium
//! through chromedriver, and driven with real clicks and key presses. Run natively: `cargo test -p foobar-lab --test e2e` after
//! `trunk build --release` (`./dev test` does both, in that order).
//!
//! The test starts its own file server and chromedriver on free loopback ports, and stops both
//! when it ends, passing or failing. Every wait has a deadline; none is a fixed sleep standing
//! in for one. Screenshots of the page go to `target/e2e/`.
#![cfg(not(target_arch = "wasm32"))]

mod frames;
mod layout;
mod lessons;
mod links;
mod live;
mod newcomer;
mod support;

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use support::*;

/// The page opens, draws every node up, and opens playing at 1×.
async fn opens_playing(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client
        .goto(&server.url("/"))
        .await
        .map_err(|e| format!("open the page: {e}"))?;
    let seen = wait_for_diagram(client).await?;
    let title = client.title().await.map_err(err)?;
    if !title.contains("Foobar Lab") {
        return Err(format!("page title is {title:?}"));
    }
    let h1 = js(
        client,
        "return document.querySelector('h1')?.textContent ?? ''",
    )
    .await?;
    if h1.as_str() != Some("Foobar Lab — www.foobar.com") {
        return Err(format!("header is {h1}"));
    }
    if let Some((name, state)) = seen.iter().find(|(_, state)| state != "up") {
        return Err(format!("{name} is drawn {state:?}, not up"));
    }
    let playing = attr(client, "[data-action=\"play\"]", "aria-pressed").await?;
    if playing.as_deref() != Some("true") {
        return Err(format!(
            "the page does not open playing: play aria-pressed={playing:?}"
        ));
    }
    if attr(client, "[data-action=\"pause\"]", "data-action")
        .await?
        .is_none()
    {
        return Err("no pause button".into());
    }
    if attr(client, "[data-timing=\"classroom\"]", "aria-pressed")
        .await?
        .as_deref()
        != Some("true")
    {
        return Err("the page does not open in the classroom timing".into());
    }
    // Requests flow: both web hosts serve.
    wait_for(
        "both web hosts to serve requests",
        Duration::from_secs(15),
        || async {
            Ok(
                (served(client, "web-01").await? > 0 && served(client, "web-02").await? > 0)
                    .then_some(()),
            )
        },
    )
    .await
}

/// HAProxy's health counter and detection time (docs/model.md, "Health checks"): a crashed
/// web-01 is crashed at once, while HAProxy learns it check by check: UP 2/3, UP 1/3, DOWN,
/// 4 to 6 s after the crash with its defaults (inter 2 s, fall 3). Meanwhile web-02 keeps
/// serving and web-01 serves no more. Restored, it is UP again after rise = 2 passed checks.
async fn crash_and_restore_web01(client: &Client) -> Outcome<Shared> {
    if node_attr(client, "web-01", "data-check").await?.as_deref() != Some("UP") {
        return Err("web-01 is not UP for HAProxy before the crash".into());
    }
    // The host's title, outside its components: the whole host fails.
    click(client, "[data-node=\"web-01\"] > .host-name").await?;
    let clicked = Instant::now();
    let took = wait_node_attr(
        client,
        "web-01",
        "data-state",
        "crashed",
        Duration::from_secs(1),
    )
    .await?;
    for c in ["web-01/nginx", "web-01/app", "web-01/mysql"] {
        if node_attr(client, c, "data-state").await?.as_deref() != Some("up") {
            return Err(format!(
                "{c}: its own state changed; only the host was failed"
            ));
        }
        if node_attr(client, c, "data-effective").await?.as_deref() != Some("crashed") {
            return Err(format!("{c} is not shown down with its host"));
        }
    }
    let served_02 = served(client, "web-02").await?;
    // HAProxy's view, check by check.
    let seen = watch_check(client, "DOWN", Duration::from_secs(10)).await?;
    let seen: Vec<(String, Duration)> = seen
        .into_iter()
        .map(|(c, at)| (c, at.duration_since(clicked)))
        .collect();
    let order: Vec<&str> = seen.iter().map(|(c, _)| c.as_str()).collect();
    let expected = ["UP", "UP 2/3", "UP 1/3", "DOWN"];
    let from = usize::from(order.first() != Some(&"UP"));
    if order != expected[from..] {
        return Err(format!(
            "HAProxy's status went {seen:?}, not {expected:?} (state crashed after {took:?})"
        ));
    }
    let down_after = seen.last().unwrap().1.as_secs_f64();
    // The moment to show: web-01 dead, HAProxy has just found out.
    screenshot(client, 1280, 800, "web-01-down-1280x800").await?;
    let shared = share_this_moment(client).await?;
    // In simulated time, from the log's own timestamps: 4 to 6 s exactly. In real time at 1×,
    // the same give or take the page's frames on a busy machine.
    let log = log_rows(client).await?;
    let crashed_at = log
        .iter()
        .find(|(_, l)| l.starts_with("web-01: crashed"))
        .map(|(t, _)| *t);
    let down_at = log
        .iter()
        .find(|(_, l)| l.starts_with("lb-01: Server web/web-01 is DOWN"))
        .map(|(t, _)| *t);
    let (Some(crashed_at), Some(down_at)) = (crashed_at, down_at) else {
        return Err(format!("the log lacks the crash or the DOWN: {log:?}"));
    };
    let sim_delay = down_at - crashed_at;
    if !(3.9..=6.1).contains(&sim_delay) {
        return Err(format!(
            "HAProxy marked web-01 DOWN {sim_delay:.1} s (simulated) after the crash; \
             HAProxy's defaults give 4 to 6 s"
        ));
    }
    if !(3.0..=10.0).contains(&down_after) {
        return Err(format!(
            "web-01 went DOWN {down_after:.2} s (real) after the click, at 1×: {seen:?}"
        ));
    }
    // web-02 kept serving; web-01 serves no more. (Answers already on the wire when it
    // crashed still count when they reach HAProxy: read its count once HAProxy knows.)
    let served_01 = served(client, "web-01").await?;
    wait_for("web-02 to keep serving", Duration::from_secs(5), || async {
        Ok((served(client, "web-02").await? > served_02 + 2).then_some(()))
    })
    .await?;
    let now_01 = served(client, "web-01").await?;
    if now_01 != served_01 {
        return Err(format!(
            "web-01 served {} more after HAProxy marked it DOWN",
            now_01 - served_01
        ));
    }
    // Restore: up at once, and UP for HAProxy after 2 passed checks (2 to 4 s).
    click(client, "[data-node=\"web-01\"] > .host-name").await?;
    let restored = Instant::now();
    wait_node_attr(client, "web-01", "data-state", "up", Duration::from_secs(1)).await?;
    let seen = watch_check(client, "UP", Duration::from_secs(8)).await?;
    if !seen.iter().any(|(c, _)| c == "DOWN 1/2") {
        return Err(format!(
            "web-01 came back without the DOWN 1/2 step: {seen:?}"
        ));
    }
    let up_after = restored.elapsed().as_secs_f64();
    if up_after > 6.5 {
        return Err(format!(
            "web-01 was UP {up_after:.1} s after the restore; 2 checks take at most 4 s"
        ));
    }
    Ok(shared)
}

/// A moment of a run, shared: the link, and what the page showed then.
struct Shared {
    link: String,
    picture: Value,
}

/// Pause, take the share link ("Copy link" writes it to the address), and note
/// what the page shows; then play on.
async fn share_this_moment(client: &Client) -> Outcome<Shared> {
    click(client, "[data-action=\"pause\"]").await?;
    wait_for("the pause", Duration::from_secs(2), || async {
        let pressed = attr(client, "[data-action=\"pause\"]", "aria-pressed").await?;
        Ok((pressed.as_deref() == Some("true")).then_some(()))
    })
    .await?;
    let picture = picture(client).await?;
    click(client, ".classroom-bar [data-action=\"share\"]").await?;
    let link = wait_for(
        "the link in the address",
        Duration::from_secs(2),
        || async {
            let hash = js(client, "return location.hash;").await?;
            Ok(hash
                .as_str()
                .filter(|h| h.starts_with("#v2."))
                .map(str::to_string))
        },
    )
    .await?;
    click(client, "[data-action=\"play\"]").await?;
    Ok(Shared { link, picture })
}

/// The link opens the same run at the same moment, paused: every node in the same
/// state, HAProxy's view and the counts the same, the clock the same.
async fn open_shared(client: &Client, server: &StaticServer, shared: &Shared) -> Outcome {
    client
        .goto(&server.url(&format!("/{}", shared.link)))
        .await
        .map_err(err)?;
    client.refresh().await.map_err(err)?;
    wait_for_nodes(client).await?;
    let again = picture(client).await?;
    if again != shared.picture {
        return Err(format!(
            "the shared link shows {again}\nthe run it came from showed {}",
            shared.picture
        ));
    }
    if !again.to_string().contains("\"crashed\"") {
        return Err(format!("no failure in the shared moment: {again}"));
    }
    let paused = attr(client, "[data-action=\"pause\"]", "aria-pressed").await?;
    if paused.as_deref() != Some("true") {
        return Err("a shared moment opens paused, to be looked at".into());
    }
    Ok(())
}

/// The lesson the keyboard walk takes, and its right answer, read from the lesson file.
fn lesson_answer(id: &str) -> usize {
    lessons::english_lessons()
        .iter()
        .find(|l| l["id"] == id)
        .and_then(|l| l["predict"]["answer"].as_u64())
        .expect("the lesson and its answer") as usize
}

async fn focused(client: &Client, attribute: &str) -> Outcome<Option<String>> {
    let v = js(
        client,
        &format!("return document.activeElement?.getAttribute('{attribute}') ?? null;"),
    )
    .await?;
    Ok(v.as_str().map(str::to_string))
}

async fn lesson_state(client: &Client) -> Outcome<Option<String>> {
    attr(client, "[data-lesson]", "data-lesson-state").await
}

/// A whole lesson by keyboard alone, in presenter mode: L opens the picker,
/// the arrows reach the lesson and Enter opens it; the prediction is answered with Tab and
/// Enter; P turns presenter mode on, and the step's node, highlighted, is broken by its
/// number key; the check the core evaluates passes, and the page says the prediction was
/// right. The presenter screenshot at 1920×1080 is taken with the step under way.
async fn keyboard_lesson(client: &Client, server: &StaticServer) -> Outcome {
    const LESSON: &str = "spof-lb";
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await?;
    press(client, &['l']).await?;
    wait_for("the lesson picker", Duration::from_secs(5), || async {
        focused(client, "data-lesson-id").await
    })
    .await?;
    for _ in 0..40 {
        if focused(client, "data-lesson-id").await?.as_deref() == Some(LESSON) {
            break;
        }
        press(client, &[char::from(Key::Down)]).await?;
    }
    if focused(client, "data-lesson-id").await?.as_deref() != Some(LESSON) {
        return Err(format!("the arrow keys never reached the lesson {LESSON}"));
    }
    press(client, &[char::from(Key::Enter)]).await?;
    wait_for(
        "the prediction question",
        Duration::from_secs(5),
        || async {
            Ok(lesson_state(client)
                .await?
                .filter(|s| s == "predict")
                .map(|_| ()))
        },
    )
    .await?;
    // The lab waits for the answer.
    let paused = attr(client, "[data-action=\"pause\"]", "aria-pressed").await?;
    if paused.as_deref() != Some("true") {
        return Err("the lesson did not wait for the prediction".into());
    }
    let answer = lesson_answer(LESSON);
    for _ in 0..answer {
        press(client, &[char::from(Key::Tab)]).await?;
    }
    if focused(client, "data-choice").await?.as_deref() != Some(answer.to_string().as_str()) {
        return Err(format!(
            "Tab did not reach choice {answer}: {:?}",
            focused(client, "data-choice").await?
        ));
    }
    press(client, &[char::from(Key::Enter)]).await?;
    wait_for("the steps", Duration::from_secs(5), || async {
        Ok(lesson_state(client)
            .await?
            .filter(|s| s == "steps")
            .map(|_| ()))
    })
    .await?;
    let lit = attr(client, ".node[data-highlighted]", "data-node").await?;
    if lit.as_deref() != Some("lb-01") {
        return Err(format!("the step's node is not highlighted: {lit:?}"));
    }
    press(client, &['p']).await?;
    let number = wait_for("lb-01's number", Duration::from_secs(5), || async {
        let v = js(
            client,
            "return document.querySelector('[data-node=\"lb-01\"] > .key-number text')\
             ?.textContent ?? null;",
        )
        .await?;
        Ok(v.as_str().and_then(|n| n.chars().next()))
    })
    .await?;
    screenshot(client, 1920, 1080, "presenter-1920x1080").await?;
    press(client, &[number]).await?;
    wait_node_attr(
        client,
        "lb-01",
        "data-state",
        "crashed",
        Duration::from_secs(2),
    )
    .await?;
    wait_for("the check to pass", Duration::from_secs(15), || async {
        Ok(lesson_state(client)
            .await?
            .filter(|s| s == "passed")
            .map(|_| ()))
    })
    .await?;
    let right = attr(client, "[data-prediction]", "data-prediction").await?;
    if right.as_deref() != Some("right") {
        return Err(format!(
            "the page did not say the prediction was right: {right:?}"
        ));
    }
    screenshot(client, 1920, 1080, "presenter-passed-1920x1080").await?;
    press(client, &['p']).await?;
    screenshot(client, 1280, 800, "lesson-passed-1280x800").await?;
    // C writes the link; it reopens the run with the same lesson open, passed.
    press(client, &['c']).await?;
    let link = wait_for(
        "the link in the address",
        Duration::from_secs(2),
        || async {
            let hash = js(client, "return location.hash;").await?;
            Ok(hash
                .as_str()
                .filter(|h| h.starts_with("#v2."))
                .map(str::to_string))
        },
    )
    .await?;
    client
        .goto(&server.url(&format!("/{link}")))
        .await
        .map_err(err)?;
    client.refresh().await.map_err(err)?;
    wait_for_nodes(client).await?;
    wait_for("the shared lesson", Duration::from_secs(5), || async {
        let open = attr(client, "[data-lesson]", "data-lesson").await?;
        let state = lesson_state(client).await?;
        Ok((open.as_deref() == Some(LESSON) && state.as_deref() == Some("passed")).then_some(()))
    })
    .await?;
    if node_attr(client, "lb-01", "data-state").await?.as_deref() != Some("crashed") {
        return Err("the shared lesson's run lost its crash".into());
    }
    Ok(())
}

/// Clicking a component fails only it. With web-01's MySQL (the primary) dead,
/// writes fail and the log says so, while reads served from web-02's replica go on.
async fn kill_the_primary_mysql(client: &Client) -> Outcome {
    click(client, "[data-node=\"web-01/mysql\"]").await?;
    wait_node_attr(
        client,
        "web-01/mysql",
        "data-state",
        "crashed",
        Duration::from_secs(1),
    )
    .await?;
    if node_attr(client, "web-01", "data-state").await?.as_deref() != Some("up") {
        return Err("failing web-01/mysql failed its host".into());
    }
    let served_02 = served(client, "web-02").await?;
    let line = wait_for(
        "the log to say requests fail on the database",
        Duration::from_secs(15),
        || async {
            let lines = log_lines(client).await?;
            Ok(lines
                .into_iter()
                .find(|l| l.contains("500") && l.contains("database")))
        },
    )
    .await?;
    wait_for(
        "reads to go on from web-02",
        Duration::from_secs(5),
        || async { Ok((served(client, "web-02").await? > served_02 + 2).then_some(())) },
    )
    .await
    .map_err(|e| format!("{e} (the log said {line:?})"))?;
    click(client, "[data-node=\"web-01/mysql\"]").await?;
    wait_node_attr(
        client,
        "web-01/mysql",
        "data-state",
        "up",
        Duration::from_secs(1),
    )
    .await?;
    Ok(())
}

/// The same by keyboard only: Tab reaches web-01, Enter breaks it and restores it,
/// Shift+F10 opens its menu and Escape closes it.
async fn keyboard_only(client: &Client) -> Outcome {
    js(
        client,
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); return 0;",
    )
    .await?;
    let mut presses = 0;
    loop {
        press(client, &[char::from(Key::Tab)]).await?;
        presses += 1;
        let focused = js(
            client,
            "return document.activeElement?.getAttribute('data-node') ?? null;",
        )
        .await?;
        if focused.as_str() == Some("web-01") {
            break;
        }
        if presses > 80 {
            return Err(format!(
                "80 presses of Tab never reached web-01 (last: {focused})"
            ));
        }
    }
    press(client, &[char::from(Key::Enter)]).await?;
    wait_node_attr(
        client,
        "web-01",
        "data-state",
        "crashed",
        Duration::from_secs(1),
    )
    .await?;
    press(client, &[char::from(Key::Enter)]).await?;
    wait_node_attr(client, "web-01", "data-state", "up", Duration::from_secs(1)).await?;
    press(client, &[char::from(Key::Shift), char::from(Key::F10)]).await?;
    wait_for("the menu of web-01", Duration::from_secs(2), || async {
        Ok(attr(client, "[role=menu]", "data-menu-for")
            .await?
            .filter(|n| n == "web-01"))
    })
    .await?;
    let focus = js(
        client,
        "return document.activeElement?.getAttribute('role') ?? null;",
    )
    .await?;
    if focus.as_str() != Some("menuitem") {
        return Err(format!(
            "the menu opened without the focus on its first item: {focus}"
        ));
    }
    press(client, &[char::from(Key::Escape)]).await?;
    wait_for("the menu to close", Duration::from_secs(2), || async {
        Ok(attr(client, "[role=menu]", "role")
            .await?
            .is_none()
            .then_some(()))
    })
    .await?;
    let focused = js(
        client,
        "return document.activeElement?.getAttribute('data-node') ?? null;",
    )
    .await?;
    if focused.as_str() != Some("web-01") {
        return Err(format!(
            "Escape did not give the focus back to web-01: {focused}"
        ));
    }
    Ok(())
}

/// An address the page cannot read gives a message and the default design.
async fn mangled_hash(client: &Client, server: &StaticServer) -> Outcome {
    client
        .goto(&server.url("/#%%%not-a-share-link"))
        .await
        .map_err(err)?;
    // A hash change alone does not reload the page.
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await?;
    let notice = wait_for(
        "the message about the link",
        Duration::from_secs(5),
        || async {
            let v = js(
                client,
                "return document.querySelector('[data-notice]')?.textContent ?? null;",
            )
            .await?;
            Ok(v.as_str().map(str::to_string))
        },
    )
    .await?;
    if !notice.contains("could not be read") {
        return Err(format!("the message is {notice:?}"));
    }
    // A share link cut short: the core's own message, and the default design.
    client
        .goto(&server.url("/#v1.eyJzY2VuYXJpbyI6eyJuYW1lIjoi"))
        .await
        .map_err(err)?;
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await?;
    let notice = js(
        client,
        "return document.querySelector('[data-notice]')?.textContent ?? '';",
    )
    .await?;
    let notice = notice.as_str().unwrap_or_default();
    if !notice.contains("cut short") || !notice.contains("default design") {
        return Err(format!("a cut-off share link gave the message {notice:?}"));
    }
    Ok(())
}

async fn check_page(client: &Client, server: &StaticServer) -> Outcome {
    opens_playing(client, server).await?;
    let shared = crash_and_restore_web01(client).await?;
    kill_the_primary_mysql(client).await?;
    keyboard_only(client).await?;
    screenshot(client, 1280, 800, "page-1280x800").await?;
    screenshot(client, 1024, 768, "page-1024x768").await?;
    screenshot(client, 1920, 1080, "page-1920x1080").await?;
    open_shared(client, server, &shared).await?;
    keyboard_lesson(client, server).await?;
    mangled_hash(client, server).await?;
    links::names_that_write_their_own_lines(client, server).await?;
    console_clean(client, "during the whole walk").await
}

/// The built page in Chromium opens playing, breaks and recovers with HAProxy's timings, fails
/// a component alone, works by keyboard, opens its share links and a lesson, and survives a
/// mangled address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_page_lives_breaks_and_recovers_in_chromium() {
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

    in_chromium(server, check_page).await;
}

/// On a running page: typing into a setting, Space after each time control, Tab in a modal
/// dialog, acting at an earlier moment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instructor_types_settings_and_presses_space_while_it_runs() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium(server, async |client, server| {
        live::space_after_clicking_time_controls(client, server).await?;
        live::typing_into_a_running_page(client, server).await?;
        live::tab_stays_in_a_modal_dialog(client, server).await?;
        live::acting_in_the_past_says_so_with_undo(client, server).await
    })
    .await;
}

/// Every lesson, followed by clicks on what the page outlines and left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_lesson_followed_by_clicks_and_left_alone() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium(server, lessons::every_lesson_by_clicks_and_left_alone).await;
}

/// A newcomer in a browser set to French, from the first visit's hint to a
/// lesson passed and its share link opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_walks_the_page_in_french() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium_in("fr-FR", server, newcomer::a_newcomer_in_french).await;
}

/// A browser set to Spanish, and the language picker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_browser_gets_spanish_and_can_pick_english() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium_in("es-ES", server, newcomer::a_spanish_browser_and_the_picker).await;
}

/// At 1280×800, 1024×768, 1920×1080 and in presenter mode, in the
/// states that crowd the page, no label, badge or control on another, nothing cut off, no dot
/// over a label, and presenter mode's diagram text at least 18 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_reads_every_part_at_every_size() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium(server, layout::readable_at_every_size).await;
}

async fn panel_screenshots(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    // Something to show: the replica cut off for a while, then the primary's MySQL killed.
    // (A vertical line has no width for WebDriver to click in: a click event instead.)
    js(
        client,
        "document.querySelector('[data-link=\"web-01--web-02\"] .link-hit')\
         .dispatchEvent(new MouseEvent('click', {bubbles: true})); return 0;",
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(4)).await;
    click(client, "[data-node=\"web-01/mysql\"]").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for tab in [
        "metrics", "stats", "request", "database", "watch", "settings", "text",
    ] {
        click(client, &format!("[data-tab=\"{tab}\"]")).await?;
        if tab == "request" {
            click(client, "[data-send=\"read\"]").await?;
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
        screenshot(client, 1280, 800, &format!("panel-{tab}")).await?;
    }
    js(client, "window.scrollTo(0, 0); return 0;").await?;
    client
        .find(Locator::Css("[data-node=\"web-02\"]"))
        .await
        .map_err(err)?;
    js(
        client,
        "document.querySelector('[data-node=\"web-02\"]').dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, clientX: 900, clientY: 380})); return 0;",
    )
    .await?;
    screenshot(client, 1280, 800, "menu-web-02").await
}

/// Screenshots of every panel and of a node's menu in `target/e2e/`, to look at (not a
/// test: `cargo test -p foobar-lab --test e2e -- --ignored panels`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "screenshots to look at: cargo test -p foobar-lab --test e2e -- --ignored panels"]
async fn panels_screenshots() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium(server, panel_screenshots).await;
}

async fn classroom_pictures(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    press(client, &['l']).await?;
    wait_for("the lesson picker", Duration::from_secs(5), || async {
        focused(client, "data-lesson-id").await
    })
    .await?;
    screenshot(client, 1280, 800, "picker-1280x800").await?;
    screenshot(client, 1920, 1080, "picker-1920x1080").await?;
    click(client, "[data-lesson-id=\"least-connections\"]").await?;
    wait_for("the prediction question", Duration::from_secs(5), || {
        lesson_state(client)
    })
    .await?;
    screenshot(client, 1280, 800, "lesson-predict-1280x800").await?;
    screenshot(client, 1024, 768, "lesson-predict-1024x768").await?;
    click(client, "[data-choice=\"1\"]").await?;
    click(client, "[data-lesson-cmd=\"do\"]").await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    screenshot(client, 1280, 800, "lesson-steps-1280x800").await?;
    screenshot(client, 1024, 768, "lesson-steps-1024x768").await?;
    press(client, &['?']).await?;
    screenshot(client, 1280, 800, "shortcuts-1280x800").await?;
    press(client, &[char::from(Key::Escape)]).await?;
    click(client, "[data-lesson-cmd=\"close\"]").await?;
    click(client, "[data-tab=\"share\"]").await?;
    js(
        client,
        "document.querySelector('.tabs-panel').scrollIntoView(); return 0;",
    )
    .await?;
    screenshot(client, 1280, 800, "export-1280x800").await?;
    js(
        client,
        "document.querySelector('.tab-body').scrollTop = 400; return 0;",
    )
    .await?;
    screenshot(client, 1280, 800, "export-scrolled-1280x800").await
}

/// Screenshots of the classroom's parts (picker, lesson, shortcuts, exports) in
/// `target/e2e/`, to look at (`cargo test -p foobar-lab --test e2e -- --ignored classroom`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "screenshots to look at: cargo test -p foobar-lab --test e2e -- --ignored classroom"]
async fn classroom_screenshots() {
    let server = StaticServer::start(dist_dir()).await;
    in_chromium(server, classroom_pictures).await;
}

/// The frame benchmark at every rate the page offers (not a test: run it alone, with
/// `cargo test -p foobar-lab --test e2e -- --ignored frames --nocapture`): prints a table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: cargo test -p foobar-lab --test e2e -- --ignored frames --nocapture"]
async fn frames_at_every_rate() {
    let server = StaticServer::start(dist_dir()).await;
    println!(
        "{}",
        in_chromium(server, frames::frames_at_every_rate).await
    );
}

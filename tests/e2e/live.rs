//! What an instructor does first on a running page, with real clicks and keys: typing a new
//! value into a setting while the lab runs, and Space after clicking a time control. Each walk
//! ends with the console read: an error or a warning there is a defect.

use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::Client;

use crate::support::*;

/// Whether the lab is playing, as the Play button says.
async fn playing(client: &Client) -> Outcome<bool> {
    Ok(attr(client, "[data-action=\"play\"]", "aria-pressed")
        .await?
        .as_deref()
        == Some("true"))
}

async fn scroll_y(client: &Client) -> Outcome<f64> {
    Ok(js(client, "return document.scrollingElement.scrollTop;")
        .await?
        .as_f64()
        .unwrap_or(0.0))
}

/// Types `text` as a person does, a key at a time with the page drawing frames in between
/// (WebDriver's `send_keys` types faster than the page re-renders, and hides a field that is
/// redrawn under the typist).
pub async fn type_slowly(client: &Client, text: &str) -> Outcome {
    for c in text.chars() {
        press(client, &[c]).await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    Ok(())
}

/// Selects what a field holds, to type over it.
async fn select_all(client: &Client) -> Outcome {
    press(client, &[char::from(Key::Control), 'a']).await
}

async fn value_of(client: &Client, selector: &str) -> Outcome<String> {
    let v = js(
        client,
        &format!(
            "return document.querySelector({}).value;",
            serde_json::json!(selector)
        ),
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The message shown beside a field, if any.
async fn field_message(client: &Client, selector: &str) -> Outcome<String> {
    let v = js(
        client,
        &format!(
            "const f = document.querySelector({}); const id = f && f.getAttribute('aria-describedby'); \
             const m = id && document.getElementById(id); return m ? m.textContent : '';",
            serde_json::json!(selector)
        ),
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// A setting typed into while the lab runs keeps every keystroke, applies on Tab (or
/// Enter) with its log line, and a value the core refuses is refused beside the field, which
/// keeps the last good value. The same for the weight box of the HAProxy stats table.
pub async fn typing_into_a_running_page(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    if !playing(client).await? {
        return Err("the page does not open playing".into());
    }
    click(client, "[data-tab=\"settings\"]").await?;
    let inter = "input[data-option=\"inter\"]";
    click(client, inter).await?;
    select_all(client).await?;
    type_slowly(client, "500").await?;
    let typed = value_of(client, inter).await?;
    if typed != "500" {
        return Err(format!(
            "typing 500 into inter while the lab runs left {typed:?}"
        ));
    }
    let written = log_lines(client).await?.len();
    press(client, &[char::from(Key::Tab)]).await?;
    wait_for(
        "the new inter in the log",
        Duration::from_secs(5),
        || async { Ok((log_lines(client).await?.len() > written).then_some(())) },
    )
    .await?;
    // Still 500 a second later, with the lab running (it was redrawn from the world before).
    tokio::time::sleep(Duration::from_secs(1)).await;
    let kept = value_of(client, inter).await?;
    if kept != "500" {
        return Err(format!("inter went back to {kept:?} after Tab"));
    }
    // Enter applies too.
    let fall = "input[data-option=\"fall\"]";
    click(client, fall).await?;
    select_all(client).await?;
    type_slowly(client, "5").await?;
    press(client, &[char::from(Key::Enter)]).await?;
    tokio::time::sleep(Duration::from_millis(600)).await;
    if value_of(client, fall).await? != "5" {
        return Err(format!(
            "fall after Enter: {:?}",
            value_of(client, fall).await?
        ));
    }
    // A value the core refuses: a message beside the field, the last good value kept.
    click(client, inter).await?;
    select_all(client).await?;
    type_slowly(client, "0").await?;
    press(client, &[char::from(Key::Tab)]).await?;
    let message = wait_for("a message beside inter", Duration::from_secs(5), || async {
        let m = field_message(client, inter).await?;
        Ok((!m.is_empty()).then_some(m))
    })
    .await?;
    if !message.contains("inter") {
        return Err(format!(
            "the message beside inter does not name it: {message:?}"
        ));
    }
    let back = value_of(client, inter).await?;
    if back != "500" {
        return Err(format!(
            "a refused inter left {back:?}, not the last good 500"
        ));
    }
    // Not a number at all.
    let rate = "input[data-option=\"rate\"]";
    click(client, rate).await?;
    select_all(client).await?;
    type_slowly(client, "-").await?;
    press(client, &[char::from(Key::Tab)]).await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let rate_now = value_of(client, rate).await?;
    if rate_now.is_empty() || rate_now == "-" {
        return Err(format!("a rate of \"-\" left the field {rate_now:?}"));
    }
    // The weight box of the HAProxy stats table.
    click(client, "[data-tab=\"stats\"]").await?;
    let weight = "tr[data-server=\"web-01\"] input.weight";
    click(client, weight).await?;
    select_all(client).await?;
    type_slowly(client, "3").await?;
    if value_of(client, weight).await? != "3" {
        return Err(format!(
            "typing 3 into the weight left {:?}",
            value_of(client, weight).await?
        ));
    }
    press(client, &[char::from(Key::Enter)]).await?;
    wait_for(
        "the new weight in the log",
        Duration::from_secs(5),
        || async {
            let lines = log_lines(client).await?;
            Ok(lines
                .iter()
                .any(|l| l.contains("web-01") && l.contains('3') && l.contains("weight"))
                .then_some(()))
        },
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    if value_of(client, weight).await? != "3" {
        return Err("the weight went back after Enter".into());
    }
    click(client, weight).await?;
    select_all(client).await?;
    type_slowly(client, "999").await?;
    press(client, &[char::from(Key::Tab)]).await?;
    wait_for(
        "a message beside the weight",
        Duration::from_secs(5),
        || async {
            let m = field_message(client, weight).await?;
            Ok((!m.is_empty()).then_some(()))
        },
    )
    .await?;
    if value_of(client, weight).await? != "3" {
        return Err("a refused weight did not keep the last good value".into());
    }
    console_clean(client, "while typing into settings").await
}

/// After a mouse click on Pause, Play or Step, Space plays or pauses exactly
/// once (the focused button is not pressed as well) and the page does not scroll, even with a
/// lesson open at 1280×800; the other shortcuts act once too; nothing is written to the
/// console.
pub async fn space_after_clicking_time_controls(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    // A lesson open makes the page taller than the window: Space must not scroll it.
    click(client, "[data-action=\"lessons\"]").await?;
    click(client, "button[data-lesson-id=\"why-each-component\"]").await?;
    wait_for("the lesson", Duration::from_secs(5), || async {
        attr(client, "[data-lesson]", "data-lesson-state").await
    })
    .await?;
    click(client, "button[data-choice=\"1\"]").await?;
    let top = scroll_y(client).await?;
    for button in ["pause", "play", "step", "pause", "play"] {
        click(client, &format!("[data-action=\"{button}\"]")).await?;
        let before = playing(client).await?;
        press(client, &[' ']).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = playing(client).await?;
        if after == before {
            return Err(format!(
                "Space after clicking {button}: still {}",
                if after { "playing" } else { "paused" }
            ));
        }
        let y = scroll_y(client).await?;
        if y != top {
            return Err(format!(
                "Space after clicking {button} scrolled the page by {} px",
                y - top
            ));
        }
        // Three presses: three toggles.
        press(client, &[' ']).await?;
        press(client, &[' ']).await?;
        press(client, &[' ']).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        if playing(client).await? != before {
            return Err(format!(
                "three more Spaces after {button} did not toggle three times"
            ));
        }
        press(client, &[' ']).await?;
    }
    // The other shortcuts, with a button focused.
    click(client, "[data-action=\"pause\"]").await?;
    let clock = || async { attr(client, ".clock", "data-now-us").await };
    let before = clock().await?;
    press(client, &['.']).await?;
    wait_for("one step", Duration::from_secs(3), || async {
        Ok((clock().await? != before).then_some(()))
    })
    .await?;
    let speed = || async { attr(client, "[data-control=\"speed\"]", "aria-valuetext").await };
    let s0 = speed().await?;
    press(client, &[']']).await?;
    wait_for("double speed", Duration::from_secs(3), || async {
        Ok((speed().await? != s0).then_some(()))
    })
    .await?;
    press(client, &['[']).await?;
    wait_for("the speed back", Duration::from_secs(3), || async {
        Ok((speed().await? == s0).then_some(()))
    })
    .await?;
    if scroll_y(client).await? != top {
        return Err("the shortcuts scrolled the page".into());
    }
    console_clean(client, "after Space and the shortcuts").await
}

/// Whether the focus is inside the open dialog.
async fn focus_in_dialog(client: &Client) -> Outcome<bool> {
    Ok(js(
        client,
        "const d = document.querySelector('[role=dialog]'); \
         return !!d && d.contains(document.activeElement);",
    )
    .await?
    .as_bool()
    .unwrap_or(false))
}

/// A modal dialog keeps the focus: Tab and Shift+Tab go round the Lessons dialog's
/// own buttons (and the shortcuts list's) and never reach the page behind it.
pub async fn tab_stays_in_a_modal_dialog(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    for (opener, name) in [
        ("lessons", "the Lessons dialog"),
        ("shortcuts", "the shortcuts"),
    ] {
        click(client, &format!("[data-action=\"{opener}\"]")).await?;
        wait_for(name, Duration::from_secs(5), || async {
            Ok(focus_in_dialog(client).await?.then_some(()))
        })
        .await?;
        for (i, back) in (0..60).map(|i| (i, i >= 30)).collect::<Vec<_>>() {
            if back {
                press(client, &[char::from(Key::Shift), char::from(Key::Tab)]).await?;
            } else {
                press(client, &[char::from(Key::Tab)]).await?;
            }
            if !focus_in_dialog(client).await? {
                return Err(format!("Tab press {} left {name}", i + 1));
            }
        }
        press(client, &[char::from(Key::Escape)]).await?;
        wait_for("the dialog closed", Duration::from_secs(5), || async {
            Ok(attr(client, "[role=dialog]", "role")
                .await?
                .is_none()
                .then_some(()))
        })
        .await?;
    }
    console_clean(client, "tabbing in the dialogs").await
}

/// Clicks the timeline at `fraction` of its length, as a person drags it back.
async fn click_timeline_at(client: &Client, fraction: f64) -> Outcome {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let width = js(
        client,
        "return document.querySelector('[data-control=\"timeline\"]').getBoundingClientRect().width;",
    )
    .await?
    .as_f64()
    .unwrap_or(0.0);
    let element = client
        .find(fantoccini::Locator::Css("[data-control=\"timeline\"]"))
        .await
        .map_err(err)?;
    let actions = MouseActions::new("mouse".to_string())
        .then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: (fraction - 0.5) * width,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(actions).await.map_err(err)
}

async fn now_us(client: &Client) -> Outcome<u64> {
    Ok(attr(client, ".clock", "data-now-us")
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Acting at an earlier moment of the timeline drops what was recorded after it:
/// the page says so, and Undo puts the run back, its future with it.
pub async fn acting_in_the_past_says_so_with_undo(
    client: &Client,
    server: &StaticServer,
) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    wait_for("two simulated seconds", Duration::from_secs(10), || async {
        Ok((now_us(client).await? > 2_000_000).then_some(()))
    })
    .await?;
    click(client, "[data-node=\"web-02\"] > .host-name").await?;
    let crashed_at = now_us(client).await?;
    wait_for("four more seconds", Duration::from_secs(10), || async {
        Ok((now_us(client).await? > crashed_at + 4_000_000).then_some(()))
    })
    .await?;
    click(client, "[data-action=\"pause\"]").await?;
    let horizon = now_us(client).await?;
    click_timeline_at(client, 0.15).await?;
    wait_for("the earlier moment", Duration::from_secs(5), || async {
        Ok((now_us(client).await? < crashed_at).then_some(()))
    })
    .await?;
    if node_attr(client, "web-02", "data-state").await?.as_deref() != Some("up") {
        return Err("before its crash, web-02 is not shown up".into());
    }
    // Acting here forgets web-02's crash, recorded later: the page says so.
    click(client, "[data-node=\"web-01\"] > .host-name").await?;
    let notice = wait_for(
        "the message about the dropped future",
        Duration::from_secs(5),
        || async {
            let undo = attr(
                client,
                "[data-notice] [data-action=\"undo\"]",
                "data-action",
            )
            .await?;
            Ok(undo.map(|_| ()))
        },
    )
    .await;
    notice?;
    click(client, "[data-notice] [data-action=\"undo\"]").await?;
    wait_for("web-01 back up", Duration::from_secs(5), || async {
        Ok(
            (node_attr(client, "web-01", "data-state").await?.as_deref() == Some("up"))
                .then_some(()),
        )
    })
    .await?;
    if attr(client, "[data-notice]", "data-notice")
        .await?
        .is_some()
    {
        return Err("the message stayed after Undo".into());
    }
    // The future is back: the end of the timeline shows web-02 crashed.
    click_timeline_at(client, 0.995).await?;
    wait_for("the end of the run", Duration::from_secs(5), || async {
        Ok((now_us(client).await? + 200_000 >= horizon).then_some(()))
    })
    .await?;
    if node_attr(client, "web-02", "data-state").await?.as_deref() != Some("crashed") {
        return Err("after Undo, the run's end does not show web-02 crashed".into());
    }
    console_clean(client, "acting in the past and undoing it").await
}

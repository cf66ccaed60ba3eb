//! Every lesson as a student meets it: opened from the Lessons dialog, the
//! prediction answered, then each step followed by clicks on what the page outlines (a node
//! of the diagram, a node's menu, the Settings tab and its outlined fields, the Request tab),
//! never by "Do it for me"; and the same lesson left alone. Followed, the check passes and
//! the page says the prediction was right; left alone, a lesson that asks the student to do
//! something does not pass.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_RIGHT};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::support::*;

/// The simulated speed the walk runs lessons at (`]` doubles it from 1×).
const SPEED_DOUBLINGS: usize = 4;

pub fn english_lessons() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("lang/en.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["lessons"].as_array().cloned().unwrap_or_default()
}

/// Whether two JSON values are the same action (numbers compared as numbers: a lesson writes
/// `10`, the page `10.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

async fn right_click(client: &Client, selector: &str) -> Outcome {
    let element = client
        .find(Locator::Css(selector))
        .await
        .map_err(|e| format!("find {selector}: {e}"))?;
    let actions = MouseActions::new("mouse".to_string())
        .then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_RIGHT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_RIGHT,
        });
    client.perform_actions(actions).await.map_err(err)
}

/// Where a person clicks a node: a host by its name (its box holds its components).
async fn node_target(client: &Client, name: &str) -> Outcome<String> {
    let host = format!("[data-node=\"{name}\"] > .host-name");
    Ok(if attr(client, &host, "class").await?.is_some() {
        host
    } else {
        format!("[data-node=\"{name}\"]")
    })
}

async fn outlined_node(client: &Client) -> Outcome<Option<String>> {
    attr(client, ".node[data-highlighted]", "data-node").await
}

/// Clicks the menu entry that takes `action`, in the menu open now.
async fn menu_entry(client: &Client, action: &Value) -> Outcome {
    let entries = js(
        client,
        "return Array.from(document.querySelectorAll('[role=menuitem][data-act]'))\
         .map(e => e.getAttribute('data-act'));",
    )
    .await?;
    let list: Vec<String> = entries
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let index = list
        .iter()
        .position(|a| serde_json::from_str::<Value>(a).is_ok_and(|v| same(&v, action)))
        .ok_or_else(|| format!("no menu entry for {action} among {list:?}"))?;
    let script = format!(
        "document.querySelectorAll('[role=menuitem][data-act]')[{index}].setAttribute('data-walk', '');"
    );
    js(client, &script).await?;
    click(client, "[data-walk]").await?;
    js(
        client,
        "document.querySelectorAll('[data-walk]').forEach(e => e.removeAttribute('data-walk'));",
    )
    .await
    .map(|_| ())
}

/// Sets what the step still asks for, field by field, as the outlines show them: the
/// Settings tab, then each outlined field (a list's option, a number typed, a box ticked).
async fn settings_by_clicks(client: &Client) -> Outcome {
    if attr(client, "[data-tab=\"settings\"]", "data-highlighted")
        .await?
        .is_none()
    {
        return Err("a settings step, and the Settings tab is not outlined".into());
    }
    click(client, "[data-tab=\"settings\"]").await?;
    for _ in 0..6 {
        // The panel says what is still to set: `read_routing = replica`.
        let still = js(
            client,
            "return Array.from(document.querySelectorAll('.to-set code')).map(c => c.textContent);",
        )
        .await?;
        let Some(first) = still
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_str)
        else {
            return Ok(());
        };
        let (name, value) = first
            .split_once(" = ")
            .ok_or_else(|| format!("still to set: {first:?}"))?;
        let field = format!(".field[data-field=\"{name}\"]");
        if attr(client, &field, "data-highlighted").await?.is_none() {
            return Err(format!(
                "the step asks for {name} and its field is not outlined"
            ));
        }
        let kind = js(
            client,
            &format!(
                "const f = document.querySelector('{field} select, {field} input'); \
                 return f ? (f.tagName === 'SELECT' ? 'select' : f.type) : null;"
            ),
        )
        .await?;
        match kind.as_str() {
            Some("select") => {
                let select = client
                    .find(Locator::Css(&format!("{field} select")))
                    .await
                    .map_err(err)?;
                let option = select
                    .find(Locator::Css(&format!("option[data-value=\"{value}\"]")))
                    .await
                    .map_err(|e| format!("{name}: no option {value}: {e}"))?;
                option.click().await.map_err(err)?;
            }
            Some("checkbox") => click(client, &format!("{field} input")).await?,
            Some(_) => {
                click(client, &format!("{field} input")).await?;
                press(client, &[char::from(Key::Control), 'a']).await?;
                crate::live::type_slowly(client, value).await?;
                press(client, &[char::from(Key::Enter)]).await?;
            }
            None => return Err(format!("no control in {field}")),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Err("the settings step never had all its settings".into())
}

/// Opens, in the Request tab the step outlines, the newest request whose path starts with
/// `prefix`, from the latest requests.
async fn inspect_by_clicks(client: &Client, prefix: &str) -> Outcome<bool> {
    if attr(client, "[data-tab=\"request\"]", "data-highlighted")
        .await?
        .is_none()
    {
        return Err("an inspector step, and the Request tab is not outlined".into());
    }
    click(client, "[data-tab=\"request\"]").await?;
    let found = js(
        client,
        &format!(
            "const b = Array.from(document.querySelectorAll('.recent button.trace'))\
             .find(b => b.textContent.includes({}));\
             if (!b) return false; b.setAttribute('data-walk', ''); return true;",
            serde_json::json!(prefix)
        ),
    )
    .await?;
    if found.as_bool() != Some(true) {
        return Ok(false);
    }
    click(client, "[data-walk]").await?;
    js(
        client,
        "document.querySelectorAll('[data-walk]').forEach(e => e.removeAttribute('data-walk'));",
    )
    .await?;
    // The list moves on as requests end: the click counts if the inspector shows one.
    let title = js(
        client,
        "return document.querySelector('.journey h3')?.textContent ?? '';",
    )
    .await?;
    Ok(title.as_str().is_some_and(|t| t.contains(prefix)))
}

/// Takes a step's action as a person does, on what the page outlines.
async fn act_by_clicks(client: &Client, action: &Value) -> Outcome {
    if let Some(fault) = action.get("fault") {
        let target = fault["target"].as_str().unwrap_or_default();
        let lit = outlined_node(client).await?;
        if lit.as_deref() != Some(target) {
            return Err(format!(
                "the step breaks {target}, the diagram outlines {lit:?}"
            ));
        }
        return match fault["fault"].as_str() {
            Some("crash") | Some("restore") => {
                click(client, &node_target(client, target).await?).await
            }
            _ => {
                right_click(client, &node_target(client, target).await?).await?;
                menu_entry(client, action).await
            }
        };
    }
    if action.get("burst").is_some() || action.get("send-one").is_some() {
        let lit = outlined_node(client).await?;
        if lit.as_deref() != Some("users") {
            return Err(format!(
                "the step asks the users for {action}, the diagram outlines {lit:?}"
            ));
        }
        click(client, &node_target(client, "users").await?).await?;
        return menu_entry(client, action).await;
    }
    if ["haproxy", "app", "mysql", "timing"]
        .iter()
        .any(|k| action.get(*k).is_some())
    {
        return settings_by_clicks(client).await;
    }
    Err(format!("the walk does not know how to click {action}"))
}

async fn lesson_attr(client: &Client, name: &str) -> Outcome<Option<String>> {
    attr(client, "[data-lesson]", name).await
}

async fn now_s(client: &Client) -> Outcome<f64> {
    Ok(attr(client, ".clock", "data-now-us")
        .await?
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1e6)
}

/// Opens a lesson from the Lessons dialog on a fresh page in a language and answers its
/// question.
pub async fn open_in(
    client: &Client,
    server: &StaticServer,
    lang: &str,
    id: &str,
    answer: u64,
) -> Outcome {
    client
        .goto(&server.url(&format!("/?lang={lang}")))
        .await
        .map_err(err)?;
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await?;
    click(client, "[data-action=\"lessons\"]").await?;
    click(client, &format!("button[data-lesson-id=\"{id}\"]")).await?;
    wait_for("the question", Duration::from_secs(10), || async {
        Ok(
            (lesson_attr(client, "data-lesson-state").await?.as_deref() == Some("predict"))
                .then_some(()),
        )
    })
    .await?;
    click(client, &format!("button[data-choice=\"{answer}\"]")).await?;
    for _ in 0..SPEED_DOUBLINGS {
        press(client, &[']']).await?;
    }
    Ok(())
}

/// Follows a lesson by clicks (or leaves it alone) until it passes or its time is up; the
/// state it ends in and what the page says of the prediction.
pub async fn walk(client: &Client, lesson: &Value, by_clicks: bool) -> Outcome<(String, String)> {
    let steps = lesson["steps"].as_array().cloned().unwrap_or_default();
    let watch: f64 = steps.iter().filter_map(|s| s["wait_s"].as_f64()).sum();
    // Left alone, the lesson has had its time once the clock is past every step's watching
    // and as long again as the checks need (DOWN takes up to 12 s, an alert 30 s).
    let horizon = now_s(client).await? + watch + 40.0;
    let deadline = Instant::now() + Duration::from_secs(150);
    let mut done = vec![false; steps.len()];
    loop {
        let state = lesson_attr(client, "data-lesson-state")
            .await?
            .unwrap_or_default();
        if state == "passed" {
            break;
        }
        if !by_clicks && now_s(client).await? > horizon {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{}: still {state} at step {:?} after {:?}",
                lesson["id"],
                lesson_attr(client, "data-step").await?,
                deadline
            ));
        }
        let at: usize = lesson_attr(client, "data-step")
            .await?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if by_clicks && at < steps.len() && !done[at] {
            let step = &steps[at];
            if let Some(action) = step.get("action").filter(|a| !a.is_null()) {
                act_by_clicks(client, action)
                    .await
                    .map_err(|e| format!("{} step {}: {e}", lesson["id"], at + 1))?;
                done[at] = true;
            } else if let Some(prefix) = step["inspect"].as_str() {
                done[at] = inspect_by_clicks(client, prefix)
                    .await
                    .map_err(|e| format!("{} step {}: {e}", lesson["id"], at + 1))?;
            } else {
                done[at] = true;
            }
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let state = lesson_attr(client, "data-lesson-state")
        .await?
        .unwrap_or_default();
    let said = attr(client, "[data-prediction]", "data-prediction")
        .await?
        .unwrap_or_default();
    Ok((state, said))
}

/// Every lesson, followed by clicks and left alone.
pub async fn every_lesson_by_clicks_and_left_alone(
    client: &Client,
    server: &StaticServer,
) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    let mut failures = Vec::new();
    for lesson in english_lessons() {
        let id = lesson["id"].as_str().unwrap_or_default().to_string();
        let answer = lesson["predict"]["answer"].as_u64().unwrap_or(0);
        open_in(client, server, "en", &id, answer).await?;
        match walk(client, &lesson, true).await {
            Ok((state, said)) if state == "passed" && said == "right" => {}
            Ok((state, said)) => failures.push(format!(
                "{id}, followed by clicks: ended {state:?}, the prediction said {said:?}"
            )),
            Err(e) => failures.push(e),
        }
        console_clean(client, &format!("following {id}")).await?;
        let asks = lesson["steps"].as_array().is_some_and(|s| {
            s.iter()
                .any(|s| !s["action"].is_null() || s["inspect"].is_string())
        });
        open_in(client, server, "en", &id, answer).await?;
        match walk(client, &lesson, false).await {
            Ok((state, _)) if asks && state == "passed" => failures.push(format!(
                "{id}, left alone: passed without the student's steps"
            )),
            Ok((state, said)) if !asks && (state != "passed" || said != "right") => {
                failures.push(format!(
                    "{id}, left alone (nothing to do but watch): ended {state:?}, said {said:?}"
                ))
            }
            Ok(_) => {}
            Err(e) => failures.push(e),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

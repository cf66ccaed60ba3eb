//! A newcomer meets the page in their own language: a browser set to
//! French opens it in French (`<html lang>`, every word from lang/fr.json), with the first
//! visit's hint on the diagram; they break a server by a click (the hint goes, and stays gone
//! on the next visit), follow a lesson by clicks to its check, and open the share link it
//! gives. A browser set to Spanish opens it in Spanish, and the picker switches language with
//! the run going on.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::lessons;
use crate::support::*;

/// A language's data file, as the page fetches it.
fn lang_file(code: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("lang/{code}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A plain word of a language (`ui[key]`), or a template with its `{name}`s filled in.
fn word(file: &Value, key: &str, values: &[(&str, &str)]) -> String {
    let mut s = file["ui"][key].as_str().unwrap_or_default().to_string();
    for (name, value) in values {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

async fn text_of(client: &Client, selector: &str) -> Outcome<String> {
    let v = js(
        client,
        &format!(
            "const e = document.querySelector({}); return e ? e.textContent : null;",
            serde_json::json!(selector)
        ),
    )
    .await?;
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no {selector} on the page"))
}

async fn html_lang(client: &Client) -> Outcome<String> {
    Ok(js(client, "return document.documentElement.lang;")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// The page is in `code`: `<html lang>`, the picker, and the Play button's words.
async fn speaks(client: &Client, code: &str) -> Outcome {
    let file = lang_file(code);
    let play = word(&file, "play", &[]);
    wait_for(
        &format!("the page in {code}"),
        Duration::from_secs(10),
        || async {
            let shown = text_of(client, "[data-action=\"play\"]")
                .await
                .unwrap_or_default();
            Ok((html_lang(client).await? == code && shown == play).then_some(()))
        },
    )
    .await?;
    let picked = js(
        client,
        "return document.querySelector('[data-control=\"language\"]').value;",
    )
    .await?;
    if picked.as_str() != Some(code) {
        return Err(format!(
            "the language picker shows {picked}, the page speaks {code}"
        ));
    }
    Ok(())
}

/// A newcomer in French, end to end.
pub async fn a_newcomer_in_french(client: &Client, server: &StaticServer) -> Outcome {
    let fr = lang_file("fr");
    set_viewport(client, 1280, 800).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    speaks(client, "fr").await?;
    // The first visit's hint, on the diagram, and the Lessons button it points to.
    let hint = text_of(client, "[data-hint]").await?;
    let want = word(&fr, "first_hint_break", &[]);
    if !hint.contains(&want) {
        return Err(format!(
            "the first visit's hint says {hint:?}, not {want:?}"
        ));
    }
    if attr(client, "[data-action=\"lessons\"]", "data-hinted")
        .await?
        .is_none()
    {
        return Err("the hint does not point at the Lessons button".into());
    }
    screenshot(client, 1280, 800, "fr-first-visit").await?;
    // Break a server by a click: the hint goes, and the log says it in French.
    click(client, "[data-node=\"web-02\"] > .host-name").await?;
    wait_node_attr(
        client,
        "web-02",
        "data-state",
        "crashed",
        Duration::from_secs(3),
    )
    .await?;
    if attr(client, "[data-hint]", "data-hint").await?.is_some() {
        return Err("the hint stayed after the visitor broke a server".into());
    }
    let crashed = word(
        &fr,
        "log_fault",
        &[
            ("target", "web-02"),
            ("change", &word(&fr, "fault_crashed", &[])),
        ],
    );
    wait_for(
        "the crash in the French log",
        Duration::from_secs(5),
        || async { Ok(log_lines(client).await?.contains(&crashed).then_some(())) },
    )
    .await?;
    // HAProxy's own lines stay as HAProxy writes them.
    wait_for(
        "HAProxy marking web-02 DOWN",
        Duration::from_secs(20),
        || async {
            Ok(log_lines(client)
                .await?
                .iter()
                .any(|l| l.starts_with("lb-01: Server web/web-02 is DOWN"))
                .then_some(()))
        },
    )
    .await?;
    screenshot(client, 1280, 800, "fr-web-02-crashed").await?;
    // The next visit: no hint.
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await?;
    speaks(client, "fr").await?;
    if attr(client, "[data-hint]", "data-hint").await?.is_some() {
        return Err("the hint came back on the next visit".into());
    }
    // A lesson, followed by clicks to its check, in French.
    let lesson = fr["lessons"]
        .as_array()
        .and_then(|all| all.iter().find(|l| l["id"] == "spof-web-host"))
        .cloned()
        .ok_or("no spof-web-host lesson in French")?;
    let answer = lesson["predict"]["answer"].as_u64().unwrap_or(0);
    lessons::open_in(client, server, "fr", "spof-web-host", answer).await?;
    let title = text_of(client, "[data-lesson] h2").await?;
    if title != lesson["title"].as_str().unwrap_or_default() {
        return Err(format!(
            "the lesson's title is {title:?}, not the French one"
        ));
    }
    let (state, said) = lessons::walk(client, &lesson, true).await?;
    if state != "passed" || said != "right" {
        return Err(format!(
            "the French lesson ended {state:?}, the prediction {said:?}"
        ));
    }
    let choice = lesson["predict"]["choices"][answer as usize]
        .as_str()
        .unwrap_or_default();
    let verdict = text_of(client, "[data-prediction]").await?;
    let want = word(&fr, "predicted_right", &[("choice", choice)]);
    if verdict != want {
        return Err(format!("the prediction is said {verdict:?}, not {want:?}"));
    }
    screenshot(client, 1280, 800, "fr-lesson-passed").await?;
    // The share link: it carries the language, and opens the same moment in French.
    click(client, "[data-action=\"pause\"]").await?;
    click(client, ".classroom-bar [data-action=\"share\"]").await?;
    let link = wait_for("the share link", Duration::from_secs(5), || async {
        let href = js(client, "return location.href;").await?;
        Ok(href
            .as_str()
            .filter(|h| h.contains("#v2."))
            .map(str::to_string))
    })
    .await?;
    if !link.contains("lang=fr") {
        return Err(format!(
            "the share link does not carry the language: {link}"
        ));
    }
    let before = text_of(client, ".clock").await?;
    client.goto("about:blank").await.map_err(err)?;
    client.goto(&link).await.map_err(err)?;
    wait_for_nodes(client).await?;
    speaks(client, "fr").await?;
    wait_for("the shared lesson", Duration::from_secs(10), || async {
        Ok(attr(client, "[data-lesson]", "data-lesson")
            .await?
            .filter(|l| l == "spof-web-host")
            .map(|_| ()))
    })
    .await?;
    let after = text_of(client, ".clock").await?;
    if after != before {
        return Err(format!("the shared moment is {after:?}, it was {before:?}"));
    }
    if node_attr(client, "web-02", "data-state").await?.as_deref() != Some("crashed") {
        return Err("the shared run does not show web-02 crashed".into());
    }
    console_clean(client, "the French newcomer's walk").await
}

/// A browser set to Spanish gets the page in Spanish; the picker switches it to
/// English with the run going on (the address says ?lang=en, a reload keeps it), and back.
pub async fn a_spanish_browser_and_the_picker(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1024, 768).await?;
    client.goto(&server.url("/")).await.map_err(err)?;
    wait_for_diagram(client).await?;
    speaks(client, "es").await?;
    let es = lang_file("es");
    let hint = text_of(client, "[data-hint]").await?;
    if !hint.contains(&word(&es, "first_hint_break", &[])) {
        return Err(format!("the Spanish hint says {hint:?}"));
    }
    screenshot(client, 1024, 768, "es-first-visit").await?;
    click(client, "[data-node=\"web-01/mysql\"]").await?;
    wait_node_attr(
        client,
        "web-01/mysql",
        "data-state",
        "crashed",
        Duration::from_secs(3),
    )
    .await?;
    let picker = client
        .find(Locator::Css("[data-control=\"language\"]"))
        .await
        .map_err(err)?;
    picker.select_by_value("en").await.map_err(err)?;
    speaks(client, "en").await?;
    // The run went on: the database is still crashed.
    if node_attr(client, "web-01/mysql", "data-state")
        .await?
        .as_deref()
        != Some("crashed")
    {
        return Err("switching language lost the run".into());
    }
    let href = js(client, "return location.href;").await?;
    if !href.as_str().unwrap_or_default().contains("lang=en") {
        return Err(format!(
            "the address does not say the language picked: {href}"
        ));
    }
    client.refresh().await.map_err(err)?;
    wait_for_diagram(client).await?;
    speaks(client, "en").await?;
    let picker = client
        .find(Locator::Css("[data-control=\"language\"]"))
        .await
        .map_err(err)?;
    picker.select_by_value("es").await.map_err(err)?;
    speaks(client, "es").await?;
    console_clean(client, "the Spanish browser and the picker").await
}

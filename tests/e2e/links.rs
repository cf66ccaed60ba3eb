//! Share links whose scenario names try to write lines of their own into the exports: one
//! that breaks out of its comment is refused with a message naming the field, and the page
//! runs the default design; an odd but one-line name opens, and stays inside the exports'
//! comment lines.

use std::time::Duration;

use fantoccini::Client;
use foobar_sim::export::{export, Format};
use foobar_sim::share::{encode, Shared};
use foobar_sim::{Scenario, SimTime};

use crate::support::*;

fn link_for(name: &str) -> String {
    encode(&Shared {
        scenario: Scenario {
            name: name.to_string(),
            ..Scenario::default()
        },
        actions: Vec::new(),
        t: SimTime::ZERO,
        lesson: None,
    })
}

async fn notice(client: &Client) -> Outcome<String> {
    let v = js(
        client,
        "return document.querySelector('[data-notice]')?.textContent ?? '';",
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

async fn scenario_name(client: &Client) -> Outcome<String> {
    let v = js(
        client,
        "return document.querySelector('.scenario-name')?.textContent ?? '';",
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The lines a tool reads: the export without its comment lines.
fn tool_lines(text: &str, f: Format) -> Vec<String> {
    text.lines()
        .filter(|l| !f.is_comment(l))
        .map(str::to_string)
        .collect()
}

pub async fn names_that_write_their_own_lines(client: &Client, server: &StaticServer) -> Outcome {
    set_viewport(client, 1280, 800).await?;
    for (name, at) in [
        ("shop\nDROP DATABASE shop; --", 5),
        ("x\nlisten evil\n  bind :22\n", 2),
    ] {
        open_link(client, server, &link_for(name)).await?;
        let said = wait_for(
            "the message about the link",
            Duration::from_secs(5),
            || async {
                let n = notice(client).await?;
                Ok((!n.is_empty()).then_some(n))
            },
        )
        .await?;
        let want = format!("name: must be one line: character {at} is a line break");
        if !said.contains(&want) || !said.contains("default design") {
            return Err(format!("the link named {name:?} gave the message {said:?}"));
        }
        let shown = scenario_name(client).await?;
        if shown != Scenario::default().name {
            return Err(format!("the refused link left the design named {shown:?}"));
        }
        screenshot(client, 1280, 800, &format!("link-refused-{at}-1280x800")).await?;
        // The default design runs: requests are served.
        wait_for("web-01 to serve", Duration::from_secs(10), || async {
            Ok((served(client, "web-01").await? > 0).then_some(()))
        })
        .await?;
    }

    // One line, but full of what SQL, HAProxy, Nginx and Mermaid read as syntax.
    let odd = "shop'; DROP DATABASE shop; -- \\! rm -rf / %%{init}%% */ #";
    open_link(client, server, &link_for(odd)).await?;
    let shown = wait_for(
        "the odd name in the header",
        Duration::from_secs(5),
        || async {
            let n = scenario_name(client).await?;
            Ok((n == odd).then_some(n))
        },
    )
    .await?;
    if shown != odd {
        return Err(format!("the header shows {shown:?}"));
    }
    click(client, "[data-tab=\"share\"]").await?;
    let plain = Scenario {
        name: "plain".into(),
        ..Scenario::default()
    };
    for f in Format::ALL {
        let text = wait_for(f.name(), Duration::from_secs(5), || async {
            let v = js(
                client,
                &format!(
                    "return document.querySelector('[data-export=\"{}\"] pre')?.textContent ?? null;",
                    f.name()
                ),
            )
            .await?;
            Ok(v.as_str().map(str::to_string))
        })
        .await?;
        if tool_lines(&text, f) != tool_lines(&export(&plain, f), f) {
            return Err(format!(
                "the {} export of the odd name differs outside its comments:\n{text}",
                f.name()
            ));
        }
        let first = text.lines().next().unwrap_or_default();
        let expected = if f == Format::Mysql {
            odd.replace('\\', "?")
        } else {
            odd.to_string()
        };
        if !first.contains(&expected) {
            return Err(format!("the {} export's first line is {first:?}", f.name()));
        }
    }
    screenshot(client, 1280, 800, "export-odd-name-1280x800").await?;
    console_clean(client, "opening links with odd names").await
}

//! Bad input never breaks the page: an address the page cannot read gives a
//! message and the default design; a panic shows an overlay with a reset button, never a
//! frozen page.

use foobar_sim::scenario::Preset;
use foobar_sim::{Lab, Scenario};

use crate::engine::Engine;
use crate::text;

/// What the page opens with: a scenario, or a run rebuilt from a share link, and a message
/// if the address asked for something it could not give.
#[derive(Debug, Clone)]
pub struct Boot {
    pub scenario: Scenario,
    pub notice: Option<String>,
    /// A share link's run, at its moment, and the lesson it had open.
    pub run: Option<(Lab, Option<String>)>,
}

/// Whether the part after `#` is meant as a share link (`v1.…`, `share=v1.…`), whatever its
/// version.
pub fn is_share_link(body: &str) -> bool {
    let body = body.strip_prefix("share=").unwrap_or(body);
    let mut chars = body.chars();
    chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Reads the part of the address after `#`. Total: every input gives a scenario. A share
/// link gives its run (the core's `Lab::from_link`, which refuses a bad one with a message);
/// `#preset=<design>` gives a design.
pub fn boot_from_hash(hash: &str) -> Boot {
    let body = hash.strip_prefix('#').unwrap_or(hash);
    let default = || Engine::classroom_default();
    let design = |scenario: Scenario| Boot {
        scenario,
        notice: None,
        run: None,
    };
    if body.is_empty() {
        return design(default());
    }
    let refuse = |why: String| Boot {
        notice: Some(text::bad_link(&why)),
        ..design(default())
    };
    if is_share_link(body) {
        return match Lab::from_link(body) {
            Ok((lab, lesson)) => Boot {
                scenario: lab.scenario().clone(),
                notice: None,
                run: Some((lab, lesson)),
            },
            Err(why) => refuse(crate::narration::lab_error(&why)),
        };
    }
    match body.split_once('=') {
        Some(("preset", name)) => {
            match foobar_sim::scenario::Preset::ALL
                .iter()
                .find(|&&p| p.as_str() == name)
            {
                Some(&p) => design(classroom(p)),
                None => refuse(text::hash_unknown_preset(name)),
            }
        }
        _ => refuse(text::hash_unknown().to_string()),
    }
}

fn classroom(p: Preset) -> Scenario {
    let mut s = Scenario::preset(p);
    s.timing.preset = default_timing();
    s
}

fn default_timing() -> foobar_sim::scenario::TimingPreset {
    Engine::classroom_default().timing.preset
}

/// Shows the panic overlay: what went wrong, and a reset that reloads the default design.
/// Plain DOM calls, no Yew: after a panic the app cannot render any more.
pub fn show_panic_overlay(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("panic-overlay").is_some() {
        return;
    }
    let Some(body) = document.body() else {
        return;
    };
    let make = |tag: &str, class: &str, words: &str| {
        let el = document.create_element(tag).ok()?;
        el.set_class_name(class);
        if !words.is_empty() {
            el.set_text_content(Some(words));
        }
        Some(el)
    };
    let (Some(overlay), Some(panel), Some(title), Some(para), Some(detail), Some(reset)) = (
        make("div", "panic-overlay", ""),
        make("div", "panic-box", ""),
        make(
            "h2",
            "",
            or_english(text::panic_title(), "Foobar Lab stopped"),
        ),
        make(
            "p",
            "",
            or_english(
                text::panic_body(),
                "Something went wrong inside the page, and it cannot go on.",
            ),
        ),
        make("pre", "panic-detail", message),
        make(
            "a",
            "button panic-reset",
            or_english(text::panic_reset(), "Reset"),
        ),
    ) else {
        return;
    };
    overlay.set_id("panic-overlay");
    let _ = overlay.set_attribute("role", "alertdialog");
    let _ = overlay.set_attribute("aria-modal", "true");
    let _ = overlay.set_attribute("aria-labelledby", "panic-title");
    title.set_id("panic-title");
    // The page's own address without its `#…`: loading it starts the default design afresh.
    let location = web_sys::window().map(|w| w.location());
    let here = location
        .map(|l| {
            format!(
                "{}{}",
                l.pathname().unwrap_or_else(|_| "/".into()),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "/".into());
    let _ = reset.set_attribute("href", &here);
    let _ = reset.set_attribute("data-action", "reset");
    for child in [&title, &para, &detail, &reset] {
        let _ = panel.append_child(child);
    }
    let _ = overlay.append_child(&panel);
    let _ = body.append_child(&overlay);
    if let Ok(link) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(reset) {
        let _ = link.focus();
    }
}

/// The words in force, or English for a panic before any language's words were read.
fn or_english<'a>(words: &'a str, english: &'a str) -> &'a str {
    if words.is_empty() {
        english
    } else {
        words
    }
}

/// Panics print to the console (as before) and show the overlay.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_overlay(&info.to_string());
    }));
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Every address gives a scenario; one the page cannot read says so.
    #[test]
    fn any_hash_gives_a_scenario_and_a_bad_one_a_message() {
        let plain = boot_from_hash("");
        assert_eq!(plain.scenario, Engine::classroom_default());
        assert_eq!(plain.notice, None);
        assert_eq!(boot_from_hash("#").notice, None);
        let one = boot_from_hash("#preset=one-server");
        assert_eq!(one.scenario.topology.web_hosts, 1);
        assert_eq!(one.notice, None);
        for bad in [
            "#%%%garbage",
            "#preset=nope",
            "#v1.AAAA",
            "#\u{0}\u{1}",
            "#preset",
            "#=",
            "#v3.eyJ9",
            "#v1.",
            "#share=v1.!!",
        ] {
            let b = boot_from_hash(bad);
            assert_eq!(b.scenario, Engine::classroom_default(), "{bad}");
            assert!(b.notice.is_some(), "{bad}");
            assert!(b.run.is_none(), "{bad}");
        }
        let newer = boot_from_hash("#v3.eyJ9").notice.unwrap();
        assert!(newer.contains("newer"), "{newer}");
    }

    /// A share link opens its run at its moment, with its lesson; a link cut short
    /// anywhere gives the core's message and the default design, never a panic.
    #[test]
    fn a_share_link_opens_its_run_and_a_damaged_one_a_message() {
        let mut lab = Lab::new(&Engine::classroom_default()).unwrap();
        lab.advance_to(foobar_sim::SimTime(3_000_000));
        lab.apply(foobar_sim::Action::Fault {
            target: "web-01".into(),
            fault: foobar_sim::scenario::FaultKind::Crash,
        })
        .unwrap();
        lab.advance_to(foobar_sim::SimTime(9_000_000));
        let link = lab.share_link(Some("spof-lb".into()));
        for hash in [format!("#{link}"), format!("#share={link}")] {
            let b = boot_from_hash(&hash);
            assert_eq!(b.notice, None);
            let (again, lesson) = b.run.expect("a run");
            assert_eq!(lesson.as_deref(), Some("spof-lb"));
            assert_eq!(again.now(), lab.now());
            let t = |l: &Lab| l.totals();
            assert_eq!(t(&again), t(&lab));
        }
        for cut in (3..link.len()).step_by(37) {
            let b = boot_from_hash(&format!("#{}", &link[..cut]));
            assert!(b.run.is_none() && b.notice.is_some(), "cut at {cut}");
        }
        // A character changed anywhere: a run or a message, never a panic.
        for (i, with) in (3..link.len()).step_by(11).zip("A_-z9%. ".chars().cycle()) {
            let mut bad = link.clone();
            bad.replace_range(i..i + 1, &with.to_string());
            let b = boot_from_hash(&format!("#{bad}"));
            assert!(b.run.is_some() != b.notice.is_some(), "changed at {i}");
        }
    }
}

//! The page's opening: its language is chosen (the address's `?lang=`, which a
//! share link carries; the one picked here before; the browser's own), that language's data
//! file is read, and only then is the lab drawn, every word from it. Picking another
//! language reads its file (once) and draws the page again in it, the run going on.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::files::{self, Files};
use crate::i18n::{self, Lang};
use crate::state::Book;
use crate::{text, Page};

/// Where the page keeps the language picked in it.
const STORAGE_KEY: &str = "foobar-lab-lang";

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Data files in hand instead of fetched (the browser tests' fixtures).
    #[prop_or_default]
    pub files: Files,
    /// The address's `#…` to open with, instead of the window's (tests).
    #[prop_or_default]
    pub hash: Option<String>,
    /// The language to open in, instead of the address's, the stored or the browser's
    /// (tests).
    #[prop_or_default]
    pub lang: Option<Lang>,
}

/// A language read: its book of lessons, kept for a switch back.
#[derive(Clone, PartialEq)]
struct Spoken {
    lang: Lang,
    book: Book,
    /// Why another language was asked for and this one is shown.
    notice: Option<String>,
}

fn query_lang() -> Option<Lang> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::of_tag)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn browser_langs() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// The language the page opens in.
fn opening_lang(forced: Option<Lang>) -> Lang {
    forced
        .or_else(query_lang)
        .or_else(|| {
            storage()
                .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
                .and_then(|tag| Lang::of_tag(&tag))
        })
        .or_else(|| Lang::preferred(browser_langs().iter().map(String::as_str)))
        .unwrap_or_default()
}

/// Writes `?lang=` into the address (keeping its `#…`), so a link copied from it opens in
/// this language, and `<html lang>` for screen readers and hyphenation.
fn show_lang(lang: Lang) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(html) = window.document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", lang.code());
    }
    let hash = window.location().hash().unwrap_or_default();
    if let Ok(history) = window.history() {
        let url = format!("?lang={}{hash}", lang.code());
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Reads a language's file and puts its words in force; its book, or why it could not.
async fn read_lang(files: &Files, lang: Lang) -> Result<Book, String> {
    let bytes = files::load(files, &lang.file()).await?;
    let file = i18n::read(lang, &bytes)?;
    i18n::install(file.words);
    Ok(match file.lessons {
        Ok(all) => Book::Ready(Rc::new(all.into_iter().map(Rc::new).collect())),
        Err(why) => Book::Failed(why.into()),
    })
}

/// Puts `lang` in force, read now or before; English if its file cannot be read, with why.
async fn speak(files: &Files, lang: Lang, read: &RefCell<Vec<Spoken>>) -> Result<Spoken, String> {
    let known = read.borrow().iter().find(|s| s.lang == lang).cloned();
    if let Some(spoken) = known {
        i18n::reuse(lang);
        return Ok(Spoken {
            notice: None,
            ..spoken
        });
    }
    match read_lang(files, lang).await {
        Ok(book) => {
            let spoken = Spoken {
                lang,
                book,
                notice: None,
            };
            read.borrow_mut().push(spoken.clone());
            Ok(spoken)
        }
        Err(why) if lang != Lang::En => {
            let mut english = Box::pin(speak(files, Lang::En, read)).await?;
            english.notice = Some(text::lang_failed(lang.name(), &why));
            Ok(english)
        }
        Err(why) => Err(why),
    }
}

/// The page: the chosen language's words read, then the lab in it.
#[component]
pub fn App(props: &AppProps) -> Html {
    let spoken = use_state(|| None::<Result<Spoken, String>>);
    let read = use_mut_ref(Vec::<Spoken>::new);
    let switch = {
        let (spoken, read, files) = (spoken.clone(), read.clone(), props.files.clone());
        use_callback((), move |lang: Lang, _| {
            let (spoken, read, files) = (spoken.clone(), read.clone(), files.clone());
            yew::platform::spawn_local(async move {
                let now = speak(&files, lang, &read).await;
                if let Ok(s) = &now {
                    show_lang(s.lang);
                }
                spoken.set(Some(now));
            });
        })
    };
    use_effect_with((), {
        let switch = switch.clone();
        let forced = props.lang;
        move |_| switch.emit(opening_lang(forced))
    });
    let on_lang = {
        let switch = switch.clone();
        use_callback((), move |lang: Lang, _| {
            if let Some(s) = storage() {
                let _ = s.set_item(STORAGE_KEY, lang.code());
            }
            switch.emit(lang);
        })
    };
    match &*spoken {
        None => html! { <div class="app-loading" aria-busy="true"></div> },
        Some(Ok(s)) => html! {
            <Page files={props.files.clone()} hash={props.hash.clone()} lang={s.lang}
                  book={s.book.clone()} notice={s.notice.clone()} {on_lang} />
        },
        // Not even English could be read: nothing in any language to say it with but this.
        Some(Err(why)) => html! {
            <p class="app-failed" role="alert">
                { format!("Foobar Lab could not read its words (lang/en.json): {why}") }
            </p>
        },
    }
}

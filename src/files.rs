//! The page's few ways out: fetching its data files (the lessons and scenarios Trunk copies
//! into `dist/`), reading a file the user chose, and writing to the clipboard and the address.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Files the page has in hand instead of fetching them (the browser tests' fixtures): (path,
/// text) pairs. Compared by identity.
#[derive(Clone, Default)]
pub struct Files(pub Option<Rc<Vec<(String, String)>>>);

impl PartialEq for Files {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

fn js_error(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A data file of the page, by its path relative to the page.
pub async fn load(files: &Files, path: &str) -> Result<Vec<u8>, String> {
    let given = files
        .0
        .as_ref()
        .and_then(|f| f.iter().find(|(p, _)| p == path));
    if let Some((_, text)) = given {
        return Ok(text.clone().into_bytes());
    }
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|e| format!("{path}: {}", js_error(e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(js_error)?;
    if !response.ok() {
        return Err(format!("{path}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string()
        .map(String::into_bytes)
        .ok_or_else(|| format!("{path}: not text"))
}

/// The contents of a file the user chose.
pub async fn read(file: web_sys::File) -> Result<Vec<u8>, String> {
    let text = JsFuture::from(file.text()).await.map_err(js_error)?;
    text.as_string()
        .map(String::into_bytes)
        .ok_or_else(|| "not a text file".to_string())
}

/// Puts text on the clipboard; `false` if the browser refused (no permission, not a secure
/// page).
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether this browser was told `key` before (the page's own memory: `localStorage`).
pub fn remembered(key: &str) -> bool {
    storage().is_some_and(|s| s.get_item(key).ok().flatten().is_some())
}

/// Tells this browser `key`, for its next visits.
pub fn remember(key: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, "1");
    }
}

/// Writes `#<fragment>` into the address without reloading or adding a history entry.
pub fn write_hash(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// A `data:` address for a text file, for an `<a download>`.
pub fn data_url(text: &str) -> String {
    format!(
        "data:text/plain;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    )
}

/// Compact JSON laid out for people to read (the browser's own `JSON.stringify` does it).
pub fn pretty_json(compact: &str) -> String {
    js_sys::JSON::parse(compact)
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &2.into())
        })
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| compact.to_string())
}
